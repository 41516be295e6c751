import type { GradeFlag, GradingTarget } from '../core/kernel/grading.js';
import { findInjection } from './injection/detect.js';
import { contentStems, topicStems, wordCount, type Span } from './lexical/text.js';

// Detection lives in ./injection/ (normalise, decode, match); re-exported for existing callers.
export { findInjection };

/** Fewer words than this is "too short" (lowered for targets whose references are themselves short). */
export const MIN_WORDS = 8;

export type GuardResult = {
  flags: GradeFlag[];
  /** Spans of the answer that look like instructions to the grader; graded as if absent. */
  suspiciousSpans: Span[];
  words: number;
  minWords: number;
};

/** The answer with `spans` blanked out by spaces: same length, so offsets still hold. */
export function maskSpans(answer: string, spans: Span[]): string {
  if (spans.length === 0) return answer;
  let out = '';
  let from = 0;
  for (const sp of spans) {
    out += answer.slice(from, sp.start) + answer.slice(sp.start, sp.end).replace(/[^\n]/g, ' ');
    from = sp.end;
  }
  return out + answer.slice(from);
}

/** The vocabulary an on-topic answer shares with the question, its rubric and references. */
function targetVocabulary(target: GradingTarget): Set<string> {
  let vocab = vocabularies.get(target);
  if (!vocab) vocabularies.set(target, (vocab = buildVocabulary(target)));
  return vocab;
}

// Kept per target (targets are made once per question, see target.ts): every grade checks the
// answer against it, and building it stems the whole rubric.
const vocabularies = new WeakMap<GradingTarget, Set<string>>();

function buildVocabulary(target: GradingTarget): Set<string> {
  const parts: string[] = [target.question.prompt, target.question.context ?? '', ...(target.references ?? [])];
  if (!target.references) parts.push(target.question.modelAnswer);
  for (const c of target.criteria) {
    parts.push(c.name, c.description, c.anchors['2'], c.anchors['4']);
    for (const s of c.signals) parts.push(s.label, ...s.terms);
  }
  return new Set(parts.flatMap(topicStems));
}

/** Minimum word count for this target: MIN_WORDS, lowered when its references are short. */
export function minWordsFor(target: GradingTarget): number {
  const refs = target.references ?? [];
  if (target.criteria.length > 0 || refs.length === 0) return MIN_WORDS;
  const shortest = Math.min(...refs.map(wordCount));
  return Math.max(2, Math.min(MIN_WORDS, Math.round(shortest * 0.3)));
}

/** "The same." answers "the same or different?": comparison words count when the question or a reference uses them. */
function echoesComparison(answer: string, target: GradingTarget): boolean {
  const words = new Set(contentStems([target.question.prompt, ...(target.references ?? [target.question.modelAnswer])].join('\n')));
  return contentStems(answer).some((s) => words.has(s));
}

/**
 * Flags an answer before it is graded: `too_short`, `off_topic` (no content word in common
 * with the question, rubric or references) and `injection_suspected`.
 */
export function checkAnswer(answer: string, target: GradingTarget): GuardResult {
  const flags: GradeFlag[] = [];
  const suspiciousSpans = findInjection(answer, { criterionIds: target.criteria.map((c) => c.id) });
  if (suspiciousSpans.length > 0) flags.push('injection_suspected');
  const clean = maskSpans(answer, suspiciousSpans);
  const words = wordCount(clean);
  const minWords = minWordsFor(target);
  if (words < minWords) flags.push('too_short');
  const stems = topicStems(clean);
  const vocab = targetVocabulary(target);
  if (words > 0 && !stems.some((s) => vocab.has(s)) && !(stems.length === 0 && echoesComparison(clean, target))) flags.push('off_topic');
  if (words === 0 && !flags.includes('too_short')) flags.push('too_short');
  return { flags, suspiciousSpans, words, minWords };
}
