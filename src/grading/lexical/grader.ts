import type { Criterion } from '../../content/schema.js';
import { checkAnswer, maskSpans, targetVocabulary } from '../guard.js';
import { answerShape, NOT_AN_ANSWER_GAP, within } from './answer-shape.js';
import { contradiction, CONTRADICTION_GAP, CONTRADICTION_KEEPS } from './contradiction.js';
import { findAny, indexAnswer, quotes, type AnswerIndex, type HitFilter } from './match.js';
import { partialCredit } from './partial-credit.js';
import type { ReferenceModel } from './ensemble.js';
import { DEFAULT_REFERENCE_MODEL } from './reference-model.js';
import type { IdfTable } from './idf.js';
import { prepare, type Prepared } from './prepared-text.js';
import { matchReferences } from './reference-match.js';
import { detectStar, mentionsFirstPerson } from './star.js';
import { contentStems } from './text.js';
import type { CriterionGrade, Grade, GradeFlag, Grader, GradeRequest, GradingTarget, StarPart } from '../types.js';

export type LexicalGraderConfig = {
  /** Points taken off the overall score per red flag (default 10, at most 3 flags count). */
  redFlagPenalty?: number;
  /** Ceiling of the overall score for too-short or off-topic answers (default 20). */
  lowCeiling?: number;
  /**
   * Share of the overall score given by similarity to the model answer when a rubric is used
   * (default 0: on independent strong answers it cost about 9 points and separated nothing the
   * criteria do not).
   */
  referenceShare?: number;
  /** Reference-answer model (the committed one by default) and an optional IDF table. */
  model?: ReferenceModel;
  idf?: IdfTable;
};

export type LexicalGrader = Grader & { gradeSync(req: GradeRequest): Grade };

type TargetCache = { vocab: Set<string>; refTexts: string[]; refs: Prepared[]; q: Set<string> };

const round1 = (v: number) => Math.round(v * 10) / 10;
const round3 = (v: number) => Math.round(v * 1000) / 1000;
const list = (xs: string[], and = 'and') => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} ${and} ${xs[xs.length - 1]}`);

/**
 * Signal labels are short phrases: usually noun phrases or gerunds ("the class imbalance",
 * "reproducing the failure"), sometimes a third-person verb phrase ("Names the class
 * imbalance"). These helpers turn them into feedback that reads as a sentence.
 */
const IRREGULAR_PAST: Record<string, string> = {
  give: 'gave', take: 'took', set: 'set', put: 'put', show: 'showed', choose: 'chose', make: 'made', bring: 'brought',
  keep: 'kept', find: 'found', run: 'ran', write: 'wrote', tell: 'told', say: 'said', think: 'thought', weigh: 'weighed',
  build: 'built', lead: 'led', split: 'split', spell: 'spelled', get: 'got', hold: 'held', draw: 'drew', cut: 'cut',
};
const VERB_S = /^(?:names|looks|compares|explains|mentions|uses|checks|gives|describes|identifies|proposes|considers|sets|picks|states|quantifies|discusses|suggests|asks|defines|notes|covers|shows|links|ties|weighs|separates|distinguishes|recommends|chooses|plans|monitors|tracks|measures|tests|validates|includes|estimates|argues|admits|owns|reflects|calls|acknowledges|recognises|recognizes|questions|splits|keeps|adds|avoids|builds|makes|takes|puts|finds|runs|writes|tells|says|thinks|spells|offers|handles|prioritises|prioritizes|quotes|cites|lists|raises|flags|treats|frames|connects|relates|reports|summarises|summarizes|justifies|specifies|outlines|sketches|proves|confirms|communicates|involves|escalates|documents|automates|reviews|investigates|isolates|reproduces|fixes|prevents)$/i;

function verbBase(v: string): string {
  const w = v.toLowerCase();
  if (/ies$/.test(w)) return w.slice(0, -3) + 'y';
  if (/(?:ss|sh|ch|x|z|o)es$/.test(w)) return w.slice(0, -2);
  return w.slice(0, -1);
}
function past(base: string): string {
  if (IRREGULAR_PAST[base]) return IRREGULAR_PAST[base]!;
  if (/e$/.test(base)) return base + 'd';
  if (/[^aeiou]y$/.test(base)) return base.slice(0, -1) + 'ied';
  return base + 'ed';
}
function gerund(base: string): string {
  if (base === 'set' || base === 'put' || base === 'cut' || base === 'run' || base === 'split') return base + base.slice(-1) + 'ing';
  if (/ie$/.test(base)) return base.slice(0, -2) + 'ying';
  if (/[^e]e$/.test(base)) return base.slice(0, -1) + 'ing';
  return base + 'ing';
}
/** Lower-cases the first letter unless the word looks like an acronym or a name ("PR", "SQL", "iOS"). */
function lowerFirst(s: string): string {
  const first = s.split(/\s/, 1)[0] ?? '';
  if (/^[A-Z][A-Z0-9]/.test(first) || /[A-Z]/.test(first.slice(1))) return s;
  return s.charAt(0).toLowerCase() + s.slice(1);
}
function splitVerb(label: string): { base: string; rest: string } | undefined {
  const m = /^(\S+)\s+(.+)$/.exec(label.trim());
  if (!m || !VERB_S.test(m[1]!)) return undefined;
  return { base: verbBase(m[1]!), rest: m[2]! };
}
/** "You named the class imbalance and covered the PR curve." */
export function coveredSentence(labels: string[]): string {
  const parts: string[] = [];
  const nouns: string[] = [];
  for (const l of labels) {
    const v = splitVerb(l);
    if (v) parts.push(`${past(v.base)} ${v.rest}`);
    else nouns.push(lowerFirst(l.trim()));
  }
  if (nouns.length > 0) parts.push(`covered ${list(nouns)}`);
  return `You ${list(parts)}.`;
}
/** "comparing with a baseline", "the PR curve" */
function missingPhrase(label: string): string {
  const v = splitVerb(label);
  return v ? `${gerund(v.base)} ${v.rest}` : lowerFirst(label.trim());
}
/** "Missing: comparing with a baseline and the PR curve." */
export function missingSentence(labels: string[]): string {
  return `Missing: ${list(labels.map(missingPhrase))}.`;
}

export function createLexicalGrader(config: LexicalGraderConfig = {}): LexicalGrader {
  const penalty = config.redFlagPenalty ?? 10;
  const ceiling = config.lowCeiling ?? 20;
  const refShare = config.referenceShare ?? 0;
  const model = config.model ?? DEFAULT_REFERENCE_MODEL;
  const idf = config.idf;
  const cache = new WeakMap<GradingTarget, TargetCache>();

  function prepared(target: GradingTarget): TargetCache {
    let c = cache.get(target);
    if (!c) {
      const refTexts = (target.references ?? [target.question.modelAnswer]).filter((r) => r.trim().length > 0);
      c = {
        vocab: targetVocabulary(target),
        refTexts,
        refs: refTexts.map(prepare),
        q: new Set(contentStems(`${target.question.prompt} ${target.question.context ?? ''}`)),
      };
      cache.set(target, c);
    }
    return c;
  }

  function gradeCriterion(answer: string, ix: AnswerIndex, c: Criterion, inStatement: HitFilter): CriterionGrade & { shown: string[]; missing: string[] } {
    const shown: string[] = [];
    const missing: string[] = [];
    const offsets: number[] = [];
    for (const s of c.signals) {
      const hit = findAny(ix, s.terms, false, inStatement, true);
      if (hit) {
        shown.push(s.label);
        offsets.push(hit.start);
      } else missing.push(s.label);
    }
    const full = c.fullMarksAt ?? Math.min(c.signals.length, 4);
    const score = Math.max(0, Math.min(4, Math.round((4 * Math.min(shown.length, full)) / full)));
    const rationale =
      shown.length === 0
        ? `Nothing yet on ${lowerFirst(c.name)}. ${missingSentence(missing.slice(0, 4))}`
        : coveredSentence(shown) + (missing.length > 0 && score < 4 ? ` ${missingSentence(missing.slice(0, 4))}` : '');
    return { id: c.id, score, evidence: quotes(answer, ix, offsets), rationale, shown, missing };
  }

  function gradeSync({ target, answer }: GradeRequest): Grade {
    const tc = prepared(target);
    const guard = checkAnswer(answer, target, tc.vocab);
    const flags: GradeFlag[] = [...guard.flags];
    // Injected instructions are graded as if they were not there (same length, offsets hold).
    const text = maskSpans(answer, guard.suspiciousSpans);
    const prep = prepare(text);
    const ix = indexAnswer(prep, text);

    const rubric = target.criteria.length > 0;
    // With a rubric the criteria carry the grade; similarity to the model answer (a probability
    // learned on one-sentence answers, compressed for long ones) only counts if configured to.
    const ref = tc.refs.length > 0 && (!rubric || refShare > 0) ? matchReferences(prep, tc.refs, tc.q, model, idf) : undefined;
    const shape = answerShape(text, { strict: rubric, questionStems: tc.q });
    if (shape.notAnAnswer) flags.push('not_an_answer');
    const inStatement: HitFilter = (o) => within(shape.credited, o);
    // Checked against short reference answers only: over a long model answer an opposite word
    // ("reduce" where it says "increase") is as likely to be about something else.
    const contradicts = ref && !rubric ? contradiction({ answerText: text, answer: prep, refText: tc.refTexts[ref.bestRef]!, ref: tc.refs[ref.bestRef]!, question: tc.q }) : undefined;
    // Saying the opposite of the reference in its own words keeps only a little of the credit those words earn.
    const refProb = ref ? ref.prob * (contradicts ? CONTRADICTION_KEEPS : 1) : 0;
    const criteria: CriterionGrade[] = [];
    const strengths: string[] = [];
    const gaps: string[] = [];
    let score: number;
    let star: Grade['star'];
    const redFlags: string[] = [];

    if (rubric) {
      const graded = target.criteria.map((c) => gradeCriterion(answer, ix, c, inStatement));
      if (target.starCriteria) star = applyStar(answer, text, ix, target, graded);
      let wsum = 0, wscore = 0;
      graded.forEach((g, i) => {
        const w = target.criteria[i]!.weight;
        wsum += w;
        wscore += (w * g.score) / 4;
      });
      const critScore = wsum > 0 ? (100 * wscore) / wsum : 0;
      score = ref ? (1 - refShare) * critScore + refShare * 100 * refProb : critScore;
      for (const f of target.redFlags) {
        const when = f.whenAny.length === 0 || findAny(ix, f.whenAny) !== undefined;
        const unless = f.unlessAny.length > 0 && findAny(ix, f.unlessAny, true) !== undefined;
        if (when && !unless) redFlags.push(f.id);
      }
      score -= penalty * Math.min(3, redFlags.length);
      const named = graded.map((g, i) => ({ g, c: target.criteria[i]! }));
      for (const { g, c } of [...named].sort((a, b) => b.g.score - a.g.score || b.c.weight - a.c.weight)) {
        if (g.score >= 3 && strengths.length < 3) strengths.push(`${c.name}: ${lowerFirst(coveredSentence(g.shown.slice(0, 3)))}`);
      }
      for (const { g, c } of [...named].sort((a, b) => b.c.weight * (4 - b.g.score) - a.c.weight * (4 - a.g.score))) {
        if (g.score <= 2 && gaps.length < 3) gaps.push(`${c.name}: say more about ${list(g.missing.slice(0, 3).map(missingPhrase)) || lowerFirst(c.description)}.`);
      }
      for (const id of redFlags) {
        const f = target.redFlags.find((x) => x.id === id);
        if (f) gaps.push(`Watch out: ${f.description}`);
      }
      for (const g of graded) criteria.push({ id: g.id, score: g.score, evidence: g.evidence, rationale: g.rationale });
    } else if (ref) {
      // Partial credit: the share of full marks a careful human would give (see partial-credit.ts).
      score = shape.notAnAnswer ? 0 : 100 * partialCredit(ref.prob, ref.features) * (contradicts ? CONTRADICTION_KEEPS : 1);
      const best = tc.refs[ref.bestRef]!;
      const covered = new Set<string>();
      const offsets: number[] = [];
      prep.content.forEach((c, i) => {
        if (ref.answerMatched.has(i)) {
          covered.add(c.t.stem);
          offsets.push(c.t.start);
        }
      });
      const keyMissing: string[] = [];
      for (const c of best.content) {
        if (!covered.has(c.t.stem) && !tc.q.has(c.t.stem) && !keyMissing.includes(c.t.norm)) keyMissing.push(c.t.norm);
      }
      const crit = Math.max(0, Math.min(4, Math.round(score / 25)));
      const missingText = keyMissing.length > 0 ? ` Not covered: ${list(keyMissing.slice(0, 5))}.` : '';
      criteria.push({
        id: 'reference-match',
        score: crit,
        evidence: quotes(answer, ix, offsets),
        rationale: `Shares ${covered.size} key word(s) with the closest reference answer.${missingText}`,
      });
      if (crit >= 3) strengths.push('Your answer matches the key points of a reference answer.');
      if (crit <= 2) gaps.push(`Compared with the reference answer, it misses ${list(keyMissing.slice(0, 5)) || 'its key point'}.`);
    } else {
      score = 0;
    }

    if (shape.notAnAnswer) {
      score = Math.min(score, ceiling / 2);
      gaps.unshift(NOT_AN_ANSWER_GAP[shape.notAnAnswer]);
    } else if (flags.includes('too_short') || flags.includes('off_topic')) {
      // A terse answer to a reference ("series", "main()") is graded on what it says, and the
      // partial-credit model already weighs how little it shares; an interview answer needs reasoning.
      if (rubric) score = Math.min(score, ceiling);
      gaps.unshift(flags.includes('too_short') ? 'The answer is too short to show much: explain your reasoning.' : 'The answer does not address the question.');
    }
    if (flags.includes('injection_suspected')) gaps.push('Parts of the answer addressed the grader instead of the question and were ignored.');
    score = round1(Math.max(0, Math.min(100, score)));

    // Every quote must be verbatim; anything else is dropped (and counted).
    let dropped = 0;
    const safe = (q: string) => (answer.includes(q) ? true : (dropped++, false));
    for (const c of criteria) c.evidence = c.evidence.filter(safe);
    if (star) for (const p of Object.values(star)) if (p.evidence !== undefined && !safe(p.evidence)) delete p.evidence;

    const grade: Grade = {
      score,
      criteria,
      ...(star ? { star } : {}),
      strengths,
      gaps,
      flags,
      grader: { kind: 'lexical', rubricVersion: target.rubricVersion },
    };
    if (contradicts) gaps.push(CONTRADICTION_GAP[contradicts]);
    const correctProbability = !rubric && ref ? round3(shape.notAnAnswer ? 0 : refProb) : undefined;
    if (redFlags.length > 0 || dropped > 0 || correctProbability !== undefined) {
      grade.meta = {
        ...(redFlags.length > 0 ? { redFlags } : {}),
        ...(dropped > 0 ? { droppedQuotes: dropped } : {}),
        ...(correctProbability !== undefined ? { correctProbability } : {}),
      };
    }
    return grade;
  }

  return {
    kind: 'lexical',
    gradeSync,
    grade: async (req) => gradeSync(req),
  };
}

/** Builds the `star` block and adjusts the STAR criteria with cue-based detection. */
function applyStar(
  answer: string,
  text: string,
  ix: AnswerIndex,
  target: GradingTarget,
  graded: (CriterionGrade & { shown: string[]; missing: string[] })[],
): NonNullable<Grade['star']> {
  const cues = detectStar(text, ix);
  const star = {} as NonNullable<Grade['star']>;
  for (const part of ['situation', 'task', 'action', 'result'] as StarPart[]) {
    const critId = target.starCriteria?.[part];
    const g = critId ? graded.find((x) => x.id === critId) : undefined;
    const cue = cues[part];
    let evidence = g?.evidence[0];
    if (part === 'action') {
      // Prefer a sentence where the speaker says what they did.
      const own = g?.evidence.find(mentionsFirstPerson);
      if (own) evidence = own;
      else if (cue.present && cue.firstPerson && cue.span) evidence = answer.slice(cue.span.start, cue.span.end);
      const firstPerson = evidence !== undefined && mentionsFirstPerson(evidence);
      if (g && g.score > 2 && !firstPerson) {
        g.score = 2;
        g.rationale += ' Say what you did yourself ("I ..."), not only what the team did.';
      }
    }
    if (evidence === undefined && cue.present && cue.span) evidence = answer.slice(cue.span.start, cue.span.end);
    const present = (g?.score ?? 0) > 0 || cue.present;
    if (g && g.score === 0 && cue.present && evidence !== undefined) {
      g.score = 1;
      g.evidence = [evidence];
      g.rationale = `Touches on the ${part}, without the specifics the rubric looks for.`;
    }
    star[part] = evidence !== undefined && present ? { present, evidence } : { present };
  }
  return star;
}

export { targetFromReferences } from '../reference-target.js';
