import type { Criterion } from '../../content/schema.js';
import { maskSpans } from '../guard.js';
import { gradeThroughPipeline, type GuardedRequest } from '../pipeline.js';
import type { CriterionGrade, Grade, GradeFlag, Grader, GradeRequest, GradingTarget } from '../../core/kernel/grading.js';
import { answerShape, NOT_AN_ANSWER_GAP, within, type AnswerShape } from './answer-shape.js';
import { contradiction, CONTRADICTION_GAP, CONTRADICTION_KEEPS, type Contradiction } from './contradiction.js';
import type { ReferenceModel } from './ensemble.js';
import { coveredSentence, list, lowerFirst, missingPhrase, missingSentence } from './feedback.js';
import type { IdfTable } from './idf.js';
import { findAny, indexAnswer, quotes, type AnswerIndex, type HitFilter } from './match.js';
import { partialCredit } from './partial-credit.js';
import { prepare, type Prepared } from './prepared-text.js';
import { matchReferences, type ReferenceMatch } from './reference-match.js';
import { DEFAULT_REFERENCE_MODEL } from './reference-model.js';
import { starBlock } from './star.js';
import { contentStems, type Span } from './text.js';

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

/** What a target's references yield, worked out once per target. */
type TargetCache = { refTexts: string[]; refs: Prepared[]; q: Set<string> };

/** The answer as the grader reads it: instructions to the grader blanked out, tokenised, indexed, its shape judged. */
type Reading = { answer: string; text: string; prep: Prepared; ix: AnswerIndex; shape: AnswerShape; inStatement: HitFilter };

/** How the answer compares with the reference it matches best. */
type ReferenceVerdict = { match: ReferenceMatch; contradicts?: Contradiction; prob: number };

/** What the rubric or the reference answers make of an answer, before the limits of `limitScore`. */
type Judgement = { score: number; criteria: CriterionGrade[]; strengths: string[]; gaps: string[]; star?: Grade['star']; redFlags: string[] };

type ScoredCriterion = CriterionGrade & { shown: string[]; missing: string[] };

const round1 = (v: number) => Math.round(v * 10) / 10;
const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** The configuration with its defaults filled in. */
type Settings = { penalty: number; ceiling: number; refShare: number; model: ReferenceModel; idf: IdfTable | undefined };

export function createLexicalGrader(config: LexicalGraderConfig = {}): LexicalGrader {
  const settings: Settings = {
    penalty: config.redFlagPenalty ?? 10,
    ceiling: config.lowCeiling ?? 20,
    refShare: config.referenceShare ?? 0,
    model: config.model ?? DEFAULT_REFERENCE_MODEL,
    idf: config.idf,
  };
  const cache = new WeakMap<GradingTarget, TargetCache>();
  const gradeGuarded = (req: GuardedRequest) => gradeAnswer(req, preparedTarget(cache, req.target), settings);
  return {
    kind: 'lexical',
    gradeSync: (req) => gradeThroughPipeline(req, gradeGuarded),
    grade: async (req) => gradeThroughPipeline(req, gradeGuarded),
  };
}

function preparedTarget(cache: WeakMap<GradingTarget, TargetCache>, target: GradingTarget): TargetCache {
  let c = cache.get(target);
  if (!c) {
    const refTexts = (target.references ?? [target.question.modelAnswer]).filter((r) => r.trim().length > 0);
    c = { refTexts, refs: refTexts.map(prepare), q: new Set(contentStems(`${target.question.prompt} ${target.question.context ?? ''}`)) };
    cache.set(target, c);
  }
  return c;
}

/** Step 3 of the pipeline: the answer arrives sanitized and guarded; its evidence is checked afterwards. */
function gradeAnswer({ target, answer, guard }: GuardedRequest, tc: TargetCache, s: Settings): Grade {
  const flags: GradeFlag[] = [...guard.flags];
  const rubric = target.criteria.length > 0;
  const reading = read(answer, guard.suspiciousSpans, rubric, tc.q);
  if (reading.shape.notAnAnswer) flags.push('not_an_answer');
  // With a rubric the criteria carry the grade; similarity to the model answer (a probability
  // learned on one-sentence answers, compressed for long ones) only counts if configured to.
  const ref = tc.refs.length > 0 && (!rubric || s.refShare > 0) ? compareWithReferences(reading, tc, s, !rubric) : undefined;
  const judged = rubric
    ? judgeByRubric(target, reading, ref, s)
    : ref
      ? judgeByReference(reading, ref, tc)
      : { score: 0, criteria: [], strengths: [], gaps: [], redFlags: [] };
  const score = limitScore(judged, reading.shape, flags, rubric, s.ceiling);
  if (ref?.contradicts) judged.gaps.push(CONTRADICTION_GAP[ref.contradicts]);
  const correctProbability = !rubric && ref ? round3(reading.shape.notAnAnswer ? 0 : ref.prob) : undefined;
  return assemble(target, judged, score, flags, correctProbability);
}

function compareWithReferences(reading: Reading, tc: TargetCache, s: Settings, checkContradiction: boolean): ReferenceVerdict | undefined {
  const match = matchReferences(reading.prep, tc.refs, tc.q, s.model, s.idf);
  if (!match) return undefined;
  // Checked against short reference answers only: over a long model answer an opposite word
  // ("reduce" where it says "increase") is as likely to be about something else.
  const contradicts = checkContradiction
    ? contradiction({ answerText: reading.text, answer: reading.prep, refText: tc.refTexts[match.bestRef]!, ref: tc.refs[match.bestRef]!, question: tc.q })
    : undefined;
  // Saying the opposite of the reference in its own words keeps only a little of the credit those words earn.
  return { match, contradicts, prob: match.prob * (contradicts ? CONTRADICTION_KEEPS : 1) };
}

function judgeByRubric(target: GradingTarget, r: Reading, ref: ReferenceVerdict | undefined, s: Settings): Judgement {
  const graded = target.criteria.map((c) => gradeCriterion(r.answer, r.ix, c, r.inStatement));
  const star = target.starCriteria ? starBlock(r.answer, r.text, r.ix, target, graded) : undefined;
  const critScore = weightedScore(graded, target.criteria);
  const redFlags = raisedRedFlags(target, r.ix);
  const score = (ref ? (1 - s.refShare) * critScore + s.refShare * 100 * ref.prob : critScore) - s.penalty * Math.min(3, redFlags.length);
  const criteria = graded.map((g) => ({ id: g.id, score: g.score, evidence: g.evidence, rationale: g.rationale }));
  return { score, criteria, ...rubricFeedback(target, graded, redFlags), ...(star ? { star } : {}), redFlags };
}

/** The score within the limits of what the answer is (not an answer, too short, off topic), and the gap that says why first. */
function limitScore(judged: Judgement, shape: AnswerShape, flags: GradeFlag[], rubric: boolean, ceiling: number): number {
  let score = judged.score;
  if (shape.notAnAnswer) {
    score = Math.min(score, ceiling / 2);
    judged.gaps.unshift(NOT_AN_ANSWER_GAP[shape.notAnAnswer]);
  } else if (flags.includes('too_short') || flags.includes('off_topic')) {
    // A terse answer to a reference ("series", "main()") is graded on what it says, and the
    // partial-credit model already weighs how little it shares; an interview answer needs reasoning.
    if (rubric) score = Math.min(score, ceiling);
    judged.gaps.unshift(flags.includes('too_short') ? 'The answer is too short to show much: explain your reasoning.' : 'The answer does not address the question.');
  }
  if (flags.includes('injection_suspected')) judged.gaps.push('Parts of the answer addressed the grader instead of the question and were ignored.');
  return round1(Math.max(0, Math.min(100, score)));
}

function read(answer: string, suspicious: Span[], rubric: boolean, questionStems: Set<string>): Reading {
  // Injected instructions are graded as if they were not there (same length, offsets hold).
  const text = maskSpans(answer, suspicious);
  const prep = prepare(text);
  const shape = answerShape(text, { strict: rubric, questionStems });
  return { answer, text, prep, ix: indexAnswer(prep, text), shape, inStatement: (o) => within(shape.credited, o) };
}

function gradeCriterion(answer: string, ix: AnswerIndex, c: Criterion, inStatement: HitFilter): ScoredCriterion {
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

/** 0..100: the criteria's scores weighted by the rubric. */
function weightedScore(graded: CriterionGrade[], criteria: Criterion[]): number {
  let wsum = 0, wscore = 0;
  graded.forEach((g, i) => {
    const w = criteria[i]!.weight;
    wsum += w;
    wscore += (w * g.score) / 4;
  });
  return wsum > 0 ? (100 * wscore) / wsum : 0;
}

/** The rubric's red flags the answer raises: a `whenAny` term present (or none listed) and no `unlessAny` term. */
function raisedRedFlags(target: GradingTarget, ix: AnswerIndex): string[] {
  const raised: string[] = [];
  for (const f of target.redFlags) {
    const when = f.whenAny.length === 0 || findAny(ix, f.whenAny) !== undefined;
    const unless = f.unlessAny.length > 0 && findAny(ix, f.unlessAny, true) !== undefined;
    if (when && !unless) raised.push(f.id);
  }
  return raised;
}

/** Up to three strengths (best-scored, heaviest criteria first), three gaps (most weight lost first), then the red flags. */
function rubricFeedback(target: GradingTarget, graded: ScoredCriterion[], redFlags: string[]): { strengths: string[]; gaps: string[] } {
  const strengths: string[] = [];
  const gaps: string[] = [];
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
  return { strengths, gaps };
}

/** Graded against reference answers: partial credit, and which of the closest reference's key words the answer covers. */
function judgeByReference(r: Reading, ref: ReferenceVerdict, tc: TargetCache): Judgement {
  // Partial credit: the share of full marks a careful human would give (see partial-credit.ts).
  // The calibration starts from what a typical answer earns; an answer with no word in it (empty,
  // a key held down) keeps only its own small probability. Misspelt words ("by refrence") count.
  const words = r.prep.tokens.some((t) => !/(.)\1{4,}/.test(t.norm));
  const credit = words ? partialCredit(ref.match.prob, ref.match.features) : ref.match.prob;
  const score = r.shape.notAnAnswer ? 0 : 100 * credit * (ref.contradicts ? CONTRADICTION_KEEPS : 1);
  const best = tc.refs[ref.match.bestRef]!;
  const covered = new Set<string>();
  const offsets: number[] = [];
  r.prep.content.forEach((c, i) => {
    if (ref.match.answerMatched.has(i)) {
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
  const criteria = [{
    id: 'reference-match',
    score: crit,
    evidence: quotes(r.answer, r.ix, offsets),
    rationale: `Shares ${covered.size} key word(s) with the closest reference answer.${missingText}`,
  }];
  const strengths = crit >= 3 ? ['Your answer matches the key points of a reference answer.'] : [];
  const gaps = crit <= 2 ? [`Compared with the reference answer, it misses ${list(keyMissing.slice(0, 5)) || 'its key point'}.`] : [];
  return { score, criteria, strengths, gaps, redFlags: [] };
}

function assemble(target: GradingTarget, judged: Judgement, score: number, flags: GradeFlag[], correctProbability: number | undefined): Grade {
  const { criteria, star, strengths, gaps, redFlags } = judged;
  const grade: Grade = {
    score,
    criteria,
    ...(star ? { star } : {}),
    strengths,
    gaps,
    flags,
    grader: { kind: 'lexical', rubricVersion: target.rubricVersion },
  };
  if (redFlags.length > 0 || correctProbability !== undefined) {
    grade.meta = {
      ...(redFlags.length > 0 ? { redFlags } : {}),
      ...(correctProbability !== undefined ? { correctProbability } : {}),
    };
  }
  return grade;
}
