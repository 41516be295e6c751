import { statementSpans } from './statements.js';
import { contentStems, type Span } from './text.js';
import { wordOrder } from './word-order.js';

/**
 * Whether a text is an answer at all. A list of the rubric's terms, the words of a good answer
 * shuffled into nonsense and the question copied back all share words with a strong answer and
 * say nothing; a careful human gives them nothing, and so does the grader.
 */
export type NotAnAnswer = 'term_list' | 'word_salad' | 'question_copy';

export type AnswerShape = {
  /** Where rubric signals may earn credit: the statements of the answer, without lists of terms. */
  credited: Span[];
  notAnAnswer?: NotAnAnswer;
};

/** Why the answer earned nothing, in the words a candidate should read. */
export const NOT_AN_ANSWER_GAP: Record<NotAnAnswer, string> = {
  term_list: 'This is a list of terms, not an answer: say what you would do and why, in sentences. Naming the right words earns nothing by itself.',
  word_salad: 'The words do not form sentences, so there is nothing to credit: write the answer as you would say it.',
  question_copy: 'The answer repeats the question without answering it.',
};

/** Below this share of its words in statements, an answer with several bare items is a list of terms. */
const LIST_CREDITED_SHARE = 0.35;
const LIST_MIN_ITEMS = 3;
const FRAGMENT_WORDS = 3;
const MIN_FRAGMENTS = 6;

/**
 * Rubric grading checks everything. Against reference answers (short factual questions), a bare
 * list may rightly be the answer ("series, parallel"), restating the question may be the point
 * ("there is a connection between the terminals"), and a few words are too few to judge their order.
 */
export type ShapeOptions = {
  strict: boolean;
  questionStems: Set<string>;
};

/** Fewest word-class pairs for a word-salad verdict when not strict (no real answer that long was flagged). */
const LENIENT_SALAD_PAIRS = 40;

export function answerShape(text: string, opts: ShapeOptions): AnswerShape {
  const all = statementSpans(text);
  // Terms pasted one per line or between semicolons arrive as "sentences" of a word or three;
  // a run of them is a list even where each has a verb ("I owned. I missed. I fixed.").
  const fragments = all.filter((s) => s.words <= FRAGMENT_WORDS).length;
  const fragmented = fragments >= MIN_FRAGMENTS && fragments >= 0.7 * all.length;
  const sentences = fragmented ? all.map((s) => (s.words <= FRAGMENT_WORDS ? { ...s, statement: false, credited: [], listItems: Math.max(1, s.listItems) } : s)) : all;
  const credited = sentences.flatMap((s) => s.credited);
  let notAnAnswer: NotAnAnswer | undefined;

  if (opts.strict) {
    const words = sentences.reduce((n, s) => n + s.words, 0);
    const inStatements = sentences.reduce((n, s) => n + (s.credited.length > 0 ? (s.words * span(s.credited)) / Math.max(1, s.end - s.start) : 0), 0);
    const items = sentences.reduce((n, s) => n + (s.statement ? s.listItems : s.words <= 4 ? 1 : s.listItems), 0);
    if (words > 0 && items >= LIST_MIN_ITEMS && inStatements < LIST_CREDITED_SHARE * words) notAnAnswer = 'term_list';
  }
  if (!notAnAnswer) {
    // Word order is judged on the prose that makes statements: a code block, a table or terse
    // notes are not English sentences and say nothing about whether the sentences are salad.
    const order = wordOrder(proseOf(text, sentences));
    if (order.salad && (opts.strict || order.pairs >= LENIENT_SALAD_PAIRS)) notAnAnswer = 'word_salad';
  }
  if (!notAnAnswer && opts.strict && copiesQuestion(text, opts.questionStems)) notAnAnswer = 'question_copy';
  return { credited: notAnAnswer ? [] : credited, ...(notAnAnswer ? { notAnAnswer } : {}) };
}

const span = (xs: Span[]) => xs.reduce((n, x) => n + x.end - x.start, 0);

const CODE_OR_TABLE = /```[\s\S]*?(?:```|$)|`[^`\n]*`|^[ \t]*\|.*$/gm;

/** The statement sentences of the answer, with code, inline code and table rows left out. */
function proseOf(text: string, sentences: { start: number; end: number; statement: boolean }[]): string {
  const blanked = text.replace(CODE_OR_TABLE, (m) => ' '.repeat(m.length));
  return sentences.filter((s) => s.statement).map((s) => blanked.slice(s.start, s.end)).join('\n');
}

/** Nearly every content word comes from the question, and most of the question is there. */
function copiesQuestion(text: string, question: Set<string>): boolean {
  const stems = new Set(contentStems(text));
  if (stems.size < 4 || question.size === 0) return false;
  let inQ = 0;
  for (const s of stems) if (question.has(s)) inQ++;
  return inQ >= 0.85 * stems.size && inQ >= 0.5 * question.size;
}

/** The offset lies inside one of the spans. */
export function within(spans: Span[], offset: number): boolean {
  return spans.some((s) => s.start <= offset && offset < s.end);
}
