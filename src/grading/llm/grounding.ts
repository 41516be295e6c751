import type { Criterion } from '../../content/schema.js';
import { findInjection } from '../guard.js';
import { compileTerm, derivedMatch, findTerm, indexAnswer, type CompiledTerm } from '../lexical/match.js';
import { prepare } from '../lexical/prepared-text.js';
import { normalise, stem, stemSimilarity, stemsMatch, tokenize, vectorId, wordCount } from '../lexical/text.js';
import type { GradingTarget } from '../../core/kernel/grading.js';

/**
 * Is a verbatim quote evidence FOR a criterion? A model can quote the answer word for word and
 * still credit a criterion with a sentence that says nothing about it (a filler sentence, the
 * question read back, a line pasted from some other answer). The LLM grader keeps a score above
 * 0 only with at least one quote this module calls relevant.
 *
 * Topic criteria: the quote shares content with what the criterion looks for. A signal term
 * found in it (the lexical grader's own matching: stems, derived forms, typos) settles it.
 * Otherwise its words are aligned with the words of the criterion's name, description, anchors
 * and signal labels and terms, by stem or by word vector (an honest model quotes the sentence
 * that earns the credit, which may not use the rubric's terms), and at least two quote words
 * must line up with enough weight between them. Words that do not tell this criterion apart
 * weigh less: the question's own words (every criterion shares them), words several criteria of
 * the rubric use (split between them), everyday words.
 *
 * Reference-match (no rubric): the same alignment against the reference answers, with the
 * question's words at half weight.
 *
 * STAR parts are about the shape of a story, not topic words: any real clause of the
 * candidate's story is relevant (two content words, not only the question's).
 *
 * Never relevant: text addressed to the grader, the question read back, pure filler, and a
 * "quote" longer than MAX_QUOTE_WORDS (the answer pasted wholesale backs every criterion at once).
 *
 * Measured by scripts/grounding-check.ts on the shipped questions.
 */

export type QuoteVerdict =
  | { relevant: true }
  | { relevant: false; reason: 'grader_directed' | 'question_copy' | 'filler' | 'too_long' | 'off_criterion' };

/** Matched word weight a topic quote needs (a specific word weighs 1, an everyday or shared one less). */
export const RELEVANCE_MIN = 1;
/** Distinct quote words that must line up: one shared word is too often chance ("model", "check"). */
export const MIN_MATCHED = 2;
/** Word-vector cosine from which two different words count as saying the same thing (partly). */
export const VECTOR_MIN = 0.7;
/** An honest quote is a sentence or a clause; a longer one is the answer copied wholesale. */
export const MAX_QUOTE_WORDS = 60;

/**
 * Words that carry no topic: hedges, pointers back ("as stated"), and the verbs rubrics use to
 * describe answers ("explains", "names"). They count neither in a quote nor in a criterion.
 */
const FILLER = new Set(
  `think thought believe feel guess suppose say said says saying state stated states mention mentioned note noted answer answers
  question questions point points basically basic actually really simply probably maybe perhaps overall general generally good great
  nice clear clearly obvious obviously sure course hope agree understand stuff kind sort lot lots way ways earlier discussed discuss
  explain explains explained describe describes described important main key name names named cover covers covered
  mentions give gives look looks use uses used show shows take takes make makes include includes candidate strong weak vague
  specific concrete something anything everything nothing someone whether without also even still already yet
  one two three four five six seven eight nine ten hundred thousand each every many much time times plus via along etc both either`
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => stem(normalise(w))),
);

/**
 * Text that talks to whoever grades it rather than answering the question (besides what the
 * guard's findInjection catches). Narrow on purpose: answers about labeling legitimately talk
 * of "graders" and "rubrics" for annotators.
 */
const GRADER_RE =
  /\b(?:(?:dear|hey|hi|note to(?: the)?) (?:grader|evaluator|examiner|reviewer)|(?:the|this) (?:grader|rubric) (?:should|must|will|can)|full marks|(?:this|my) answer (?:deserves|should get|should receive|earns|merits|meets|satisfies)|(?:give|award|grant|assign) (?:me|this(?: answer)?|it) (?:a |an |the )?(?:full|max(?:imum)?|perfect|top|high(?:est)?|4|100)\b|(?:score|grade|mark|rate) (?:me|this answer)\b|criteri(?:on|a) (?:is|are|has been|have been) (?:met|satisfied|fulfilled)|you (?:should|must|will) (?:score|grade|mark|give|award))/i;

type Weighted = { stem: string; id: number; w: number };
type Profile = { terms: CompiledTerm[]; words: Weighted[] };
type Context = { question: Set<string>; profiles: Map<string, Profile>; star: Set<string> };

const contexts = new WeakMap<GradingTarget, Context>();

/** Content stems of `text`: no stopwords, comparison words or filler. */
function topicWords(text: string): string[] {
  return tokenize(text)
    .filter((t) => !t.stop && !t.minor && !FILLER.has(t.stem))
    .map((t) => t.stem);
}

/** Everyday words (the 800 most frequent stems of the vector table) say little about a topic. */
const EVERYDAY_RANK = 800;

function contextFor(target: GradingTarget, criteria: Criterion[]): Context {
  let ctx = contexts.get(target);
  if (ctx && criteria.every((c) => ctx!.profiles.has(c.id))) return ctx;
  const q = target.question;
  const question = new Set(topicWords(`${q.prompt}\n${q.context ?? ''}`));
  const star = new Set(Object.values(target.starCriteria ?? {}).filter((x): x is string => typeof x === 'string'));
  const topical = criteria.filter((c) => !star.has(c.id));
  // How many topic criteria use each word: a word they all use does not tell them apart.
  const bags = new Map<string, Set<string>>();
  for (const c of topical) bags.set(c.id, new Set(topicWords(criterionText(c))));
  const spread = new Map<string, number>();
  for (const b of bags.values()) for (const s of b) spread.set(s, (spread.get(s) ?? 0) + 1);
  const profiles = new Map<string, Profile>();
  for (const c of criteria) {
    if (star.has(c.id)) {
      profiles.set(c.id, { terms: [], words: [] });
      continue;
    }
    const reference = target.criteria.length === 0;
    const words = new Map<string, number>();
    if (reference) {
      // The reference criterion looks for the key points of the references; question words
      // count at half weight so that a quote must bring something beyond the question.
      for (const r of target.references ?? [q.modelAnswer]) for (const s of topicWords(r)) words.set(s, 1);
      for (const s of question) words.set(s, Math.min(words.get(s) ?? 0.5, 0.5));
    } else {
      for (const s of bags.get(c.id)!) {
        let w = 1 / Math.max(1, spread.get(s) ?? 1);
        if (question.has(s)) w *= 0.35;
        words.set(s, w);
      }
    }
    const list: Weighted[] = [...words].map(([s, w]) => {
      const id = vectorId(s);
      return { stem: s, id, w: id >= 0 && id < EVERYDAY_RANK ? w * 0.5 : w };
    });
    profiles.set(c.id, { terms: reference ? [] : c.signals.flatMap((s) => s.terms.map(compileTerm)), words: list });
  }
  ctx = { question, profiles, star };
  contexts.set(target, ctx);
  return ctx;
}

function criterionText(c: Criterion): string {
  return [c.name, c.description, c.anchors['0'], c.anchors['2'], c.anchors['4'], ...c.signals.flatMap((s) => [s.label, ...s.terms])].join('\n');
}

/** How strongly two stems say the same thing: 1 for the same word, the vector cosine when close. */
function wordSim(a: string, aId: number, b: Weighted): number {
  // A typo only when the quote's word is unknown, as in match.ts ("smoke" is no typo of "smote").
  if (a === b.stem || derivedMatch(a, b.stem) || (aId < 0 && stemsMatch(a, b.stem))) return 1;
  // Everyday words have close neighbours in every direction ("see" / "else", "day" / "dawn"):
  // vectors only link topic words.
  if (aId < EVERYDAY_RANK || b.id < EVERYDAY_RANK) return 0;
  const c = stemSimilarity(a, b.stem);
  return c >= VECTOR_MIN ? c : 0;
}

type WordEvidence = { weight: number; matched: number };

/** Weight of the quote's words that line up with the profile's (each quote word counted once). */
function overlap(words: string[], profile: Weighted[]): WordEvidence {
  let weight = 0;
  let matched = 0;
  for (const s of new Set(words)) {
    const id = vectorId(s);
    let best = 0;
    for (const p of profile) best = Math.max(best, wordSim(s, id, p) * p.w);
    weight += best;
    if (best >= 0.3) matched++;
  }
  return { weight, matched };
}

/** Checks every criterion-independent reason a quote cannot be evidence. */
function generalVerdict(quote: string, question: Set<string>): QuoteVerdict | undefined {
  if (wordCount(quote) > MAX_QUOTE_WORDS) return { relevant: false, reason: 'too_long' };
  if (GRADER_RE.test(quote) || findInjection(quote).length > 0) return { relevant: false, reason: 'grader_directed' };
  const words = topicWords(quote);
  if (words.length === 0) return { relevant: false, reason: 'filler' };
  // Only words the question already has: the question read back, not an answer to it.
  if (words.every((s) => question.has(s))) return { relevant: false, reason: 'question_copy' };
  return undefined;
}

/**
 * Whether `quote` (already known to be verbatim) is evidence for `criterion` of `target`.
 * `criteria` is what the grade is built on (the target's, or the reference stand-in).
 */
export function judgeQuote(target: GradingTarget, criteria: Criterion[], criterion: Criterion, quote: string): QuoteVerdict {
  const ctx = contextFor(target, criteria);
  const general = generalVerdict(quote, ctx.question);
  if (general) return general;
  if (ctx.star.has(criterion.id)) {
    // A clause of the story: two content words (generalVerdict already refused the question's alone).
    const words = topicWords(quote);
    return new Set(words).size >= 2 ? { relevant: true } : { relevant: false, reason: 'filler' };
  }
  const profile = ctx.profiles.get(criterion.id)!;
  if (profile.terms.length > 0) {
    const ix = indexAnswer(prepare(quote), quote);
    // Negated mentions count: "never checked recall" is about recall; whether it earns credit
    // is the score's business, not the evidence's.
    if (profile.terms.some((t) => findTerm(ix, t, true) !== undefined)) return { relevant: true };
  }
  const words = overlap(topicWords(quote), profile.words);
  return words.weight >= RELEVANCE_MIN && words.matched >= MIN_MATCHED ? { relevant: true } : { relevant: false, reason: 'off_criterion' };
}
