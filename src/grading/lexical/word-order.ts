import modelJson from './model/word-order.json' with { type: 'json' };
import { canBeVerb } from './statements.js';
import { tokenize, type Token } from './text.js';

/**
 * Does the text read in English word order? A bigram model over word classes (each function
 * word is its own class; other words fall into a few classes by form: verb, -ing, -ly, plural,
 * number, other) learned from real answers by scripts/train-word-order.ts. Shuffling the words
 * of an answer keeps how often each class occurs but breaks which follows which ("the is of a"),
 * so the log-likelihood ratio of the bigram model against the class frequencies alone is
 * clearly positive for real text and near or below zero for word salad, on any topic.
 */

export type WordOrderModel = {
  classes: string[];
  /** Count of each class as the first of a pair, and its number of distinct followers. */
  count: number[];
  followers: number[];
  /** Unigram probability of each class. */
  prob: number[];
  /** "a b" (class indices) -> count of the pair. */
  pairs: Record<string, number>;
  /**
   * A text of at least `minPairs` pairs reads as word salad when its mean log-likelihood ratio
   * times the square root of its pair count (the ratio's spread shrinks with length) is below
   * `saladZ`, or, from `longPairs` on, when the mean itself is below `longBelow`.
   */
  saladZ: number;
  minPairs: number;
  longPairs: number;
  longBelow: number;
};

const MODEL = modelJson as WordOrderModel;
const INDEX = new Map(MODEL.classes.map((c, i) => [c, i]));

function formClass(t: Token): string {
  if (t.stop || t.minor || t.negation) return t.norm;
  if (/^\d/.test(t.norm)) return '#';
  const w = t.norm;
  if (w.endsWith('ing')) return 'ING';
  if (w.endsWith('ly')) return 'LY';
  if (canBeVerb(w)) return w.endsWith('ed') ? 'VED' : w.endsWith('s') ? 'VS' : 'V';
  if (w.endsWith('ed')) return 'ED';
  if (w.endsWith('s') && !w.endsWith('ss')) return 'S';
  if (/(?:tion|ment|ness|ity|ance|ence|ism)$/.test(w)) return 'N';
  if (/(?:al|ive|ous|ful|less|able|ible|ic)$/.test(w)) return 'J';
  return 'W';
}

/** The class sequence of a text, punctuation included, starting with a sentence start. */
export function wordClasses(text: string): string[] {
  const out = ['^'];
  let prevEnd = 0;
  for (const t of tokenize(text)) {
    const gap = text.slice(prevEnd, t.start);
    if (/[.!?]/.test(gap)) out.push('.', '^');
    else if (/\n/.test(gap) && prevEnd > 0) out.push('^');
    else if (/[,;:]/.test(gap)) out.push(',');
    else if (/[()"]/.test(gap)) out.push('(');
    out.push(formClass(t));
    prevEnd = t.end;
  }
  return out;
}

/** Witten-Bell smoothed P(b | a) over the class indices; unknown classes fall back to "W". */
function condProb(m: WordOrderModel, a: number, b: number): number {
  const c = m.count[a] ?? 0;
  const t = m.followers[a] ?? 0;
  if (c === 0) return m.prob[b]!;
  return ((m.pairs[`${a} ${b}`] ?? 0) + t * m.prob[b]!) / (c + t);
}

export type WordOrder = { pairs: number; llr: number; salad: boolean };

/** Mean log-likelihood ratio per class pair, and whether the text reads as word salad. */
export function wordOrder(text: string, m: WordOrderModel = MODEL): WordOrder {
  const index = m === MODEL ? INDEX : new Map(m.classes.map((c, i) => [c, i]));
  const fallback = index.get('W')!;
  const ids = wordClasses(text).map((c) => index.get(c) ?? fallback);
  let sum = 0, n = 0;
  for (let i = 1; i < ids.length; i++) {
    const b = ids[i]!;
    sum += Math.log(condProb(m, ids[i - 1]!, b)) - Math.log(m.prob[b]!);
    n++;
  }
  const llr = n > 0 ? sum / n : 0;
  const salad = n >= m.minPairs && (llr * Math.sqrt(n) < m.saladZ || (n >= m.longPairs && llr < m.longBelow));
  return { pairs: n, llr, salad };
}

/**
 * The whitespace-separated words of `text` in a deterministic shuffled order: the word salad
 * the model must tell apart, made from real answers (training and tests use the same one).
 */
export function shuffleWords(text: string, seed: number): string {
  const w = text.split(/\s+/).filter(Boolean);
  let s = seed;
  for (let i = w.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [w[i], w[j]] = [w[j]!, w[i]!];
  }
  return w.join(' ');
}
