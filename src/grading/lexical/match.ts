import type { Prepared } from './prepared-text.js';
import { sentenceSpans, stemSimilarity, stemsMatch, tokenize, vectorId, type Span, type Token } from './text.js';

/**
 * Finding rubric terms in an answer: each term is stemmed; a multi-word term matches its
 * content stems in order with at most one other word between consecutive ones. A match
 * whose words sit in a negated clause ("never looked at recall") does not count.
 *
 * Besides equal stems (and one-typo variants of long ones), a word matches a derived form
 * of itself ("fraud" / "fraudulent", "accuracy" / "accurate"): one stem extends the other
 * by a few letters AND their word vectors agree (cosine >= DERIVED_MIN_COSINE), so that
 * look-alikes with another meaning ("part" / "party") do not. Pure embedding neighbours
 * are deliberately NOT accepted here: GloVe puts antonyms and co-hyponyms close
 * ("increase" / "decrease" 0.83, "precision" / "accuracy" 0.70), which would give false credit.
 */
export const DERIVED_MIN_COSINE = 0.5;

const derivedCache = new Map<string, boolean>();

/** `a` and `b` are derived forms of one word (see above). */
export function derivedMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  if (s.length < 5 || l.length - s.length > 4 || !l.startsWith(s)) return false;
  const key = `${s} ${l}`;
  let v = derivedCache.get(key);
  if (v === undefined) {
    v = stemSimilarity(s, l) >= DERIVED_MIN_COSINE;
    if (derivedCache.size < 100_000) derivedCache.set(key, v);
  }
  return v;
}

/** `answer` is the answer's stem: only a word we do not know can be a misspelling of the term's. */
const wordMatch = (answer: string, term: string) =>
  answer === term || (vectorId(answer) < 0 && stemsMatch(answer, term)) || derivedMatch(answer, term);

/** `ordered`: the term keeps a comparison or direction word, so its word order is its meaning. */
export type CompiledTerm = { text: string; stems: string[]; ordered: boolean };

const termCache = new Map<string, CompiledTerm>();

export function compileTerm(text: string): CompiledTerm {
  let c = termCache.get(text);
  if (c) return c;
  const toks = tokenize(text);
  const words = termWords(toks);
  c = { text, stems: words.map((t) => t.stem), ordered: words.some((t) => t.minor) };
  if (termCache.size < 50_000) termCache.set(text, c);
  return c;
}

/**
 * The words of a term an answer must contain: its content words. A comparison or direction word
 * between two topic words is glue ("alert on PSI" is found in "alert when PSI drifts"); at either
 * end it is the point ("after splitting", "turn the model off"). A term with no topic word at all
 * ("from then on") needs every word.
 */
function termWords(toks: Token[]): Token[] {
  const topic = toks.map((t, i) => (!t.stop && !t.minor ? i : -1)).filter((i) => i >= 0);
  if (topic.length === 0) return toks;
  const first = topic[0]!, last = topic[topic.length - 1]!;
  return toks.filter((t, i) => FIRST_PERSON.has(t.norm) || (!t.stop && (!t.minor || i < first || i > last)));
}

/** "I needed" is about the speaker, "models need" is not: a first-person word in a term must be there. */
const FIRST_PERSON = new Set(['i', 'my', 'me', 'myself', "i'd", "i've", "i'm", "i'll"]);

export type TermHit = { term: string; start: number; end: number };

export type AnswerIndex = {
  prep: Prepared;
  /** Token index -> negated? (content tokens only; stopwords are never negated). */
  negated: boolean[];
  /** stem -> token indices where it occurs. */
  positions: Map<string, number[]>;
  sentences: Span[];
};

export function indexAnswer(prep: Prepared, text: string): AnswerIndex {
  const negated = new Array<boolean>(prep.tokens.length).fill(false);
  for (const c of prep.content) negated[c.index] = c.negated;
  const positions = new Map<string, number[]>();
  prep.tokens.forEach((t, i) => {
    const l = positions.get(t.stem);
    if (l) l.push(i);
    else positions.set(t.stem, [i]);
  });
  return { prep, negated, positions, sentences: sentenceSpans(text) };
}

function positionsOf(ix: AnswerIndex, stem: string): number[] {
  const exact = ix.positions.get(stem) ?? [];
  if (stem.length < 5) return exact;
  const out = [...exact];
  for (const [s, l] of ix.positions) if (s !== stem && wordMatch(s, stem)) out.push(...l);
  return out.sort((a, b) => a - b);
}

/** Where a hit may start (e.g. inside a statement); anywhere when absent. */
export type HitFilter = (offset: number) => boolean;

/** First non-negated occurrence of `term` in the answer (that `where` accepts), or undefined. */
export function findTerm(ix: AnswerIndex, term: CompiledTerm, allowNegated = false, where?: HitFilter, loose = false): TermHit | undefined {
  const [first, ...rest] = term.stems;
  if (first === undefined) return undefined;
  const toks = ix.prep.tokens;
  outer: for (const p of positionsOf(ix, first)) {
    let last = p;
    for (const s of rest) {
      const next = [last + 1, last + 2].find((k) => k < toks.length && wordMatch(toks[k]!.stem, s));
      if (next === undefined) continue outer;
      last = next;
    }
    if (!allowNegated && ix.negated[p]) continue;
    if (where && !where(toks[p]!.start)) continue;
    return { term: term.text, start: toks[p]!.start, end: toks[last]!.end };
  }
  return loose ? findLoose(ix, term, allowNegated, where) : undefined;
}

/** How far apart the words of a multi-word term may stand in a loose match. */
const LOOSE_WINDOW = 6;

/**
 * People rarely say a rubric's phrase word for word: "the curve flattens as data size grows"
 * states "learning curve of data size". A loose match finds every word of the term within a few
 * words of each other in one sentence, in any order (not for terms whose order is their meaning).
 */
function findLoose(ix: AnswerIndex, term: CompiledTerm, allowNegated: boolean, where?: HitFilter): TermHit | undefined {
  const [first, ...rest] = term.stems;
  if (first === undefined || rest.length === 0 || term.ordered) return undefined;
  const toks = ix.prep.tokens;
  for (const p of positionsOf(ix, first)) {
    if (!allowNegated && ix.negated[p]) continue;
    if (where && !where(toks[p]!.start)) continue;
    const sentence = sentenceAt(ix, toks[p]!.start);
    let lo = p, hi = p;
    const found = rest.every((s) => {
      for (let k = Math.max(0, p - LOOSE_WINDOW); k <= Math.min(toks.length - 1, p + LOOSE_WINDOW); k++) {
        if (k === p || !wordMatch(toks[k]!.stem, s)) continue;
        if (sentence && (toks[k]!.start < sentence.start || toks[k]!.end > sentence.end)) continue;
        if (!allowNegated && ix.negated[k]) continue;
        lo = Math.min(lo, k);
        hi = Math.max(hi, k);
        return true;
      }
      return false;
    });
    if (found) return { term: term.text, start: toks[lo]!.start, end: toks[hi]!.end };
  }
  return undefined;
}

export function findAny(ix: AnswerIndex, terms: readonly string[], allowNegated = false, where?: HitFilter, loose = false): TermHit | undefined {
  for (const t of terms) {
    const h = findTerm(ix, compileTerm(t), allowNegated, where);
    if (h) return h;
  }
  if (!loose) return undefined;
  for (const t of terms) {
    const h = findTerm(ix, compileTerm(t), allowNegated, where, true);
    if (h) return h;
  }
  return undefined;
}

/** The sentence (or line) of the answer that contains `offset`, as a span. */
export function sentenceAt(ix: AnswerIndex, offset: number): Span | undefined {
  return ix.sentences.find((s) => s.start <= offset && offset < s.end);
}

/** Verbatim quotes of the sentences holding the given offsets (deduplicated, in order, at most `max`). */
export function quotes(answer: string, ix: AnswerIndex, offsets: number[], max = 3): string[] {
  const spans: Span[] = [];
  for (const o of [...offsets].sort((a, b) => a - b)) {
    const s = sentenceAt(ix, o);
    if (s && !spans.some((x) => x.start === s.start)) spans.push(s);
  }
  const out: string[] = [];
  for (const s of spans.slice(0, max)) {
    let q = answer.slice(s.start, s.end);
    if (q.length > 300) {
      // Long sentence: quote a clause-sized window instead, still verbatim.
      const o = offsets.find((x) => x >= s.start && x < s.end) ?? s.start;
      const from = Math.max(s.start, o - 120);
      q = answer.slice(from, Math.min(s.end, from + 280)).trim();
    }
    if (q.length > 0 && answer.includes(q) && !out.includes(q)) out.push(q);
  }
  return out;
}
