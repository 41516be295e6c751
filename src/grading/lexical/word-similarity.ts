import { idfOf, type IdfTable } from './idf.js';
import { oppositesOf } from './opposites.js';
import { addVector, unitRows, vectorDims, withinOneEdit } from './text.js';

/**
 * How alike two words are, for soft alignment: 1 for the same (or a misspelt) stem, else the
 * cosine of their word vectors when it is high enough to mean something, and 0 for opposites,
 * which word vectors put close together. Also the cosine of two texts' mean word vectors.
 */

/** Word pairs below this cosine count as unaligned (by-question CV on train: 0.6 ≥ 0.5). */
export const SOFT_FLOOR = 0.6;

/** Answer words whose similarity rows are kept per reference (about 0.7 MB for a long model answer). */
const ROW_CACHE_MAX = 1000;

export type VectorWord = { stem: string; id: number };

/**
 * Similarity of every pair of words, row-major by `as`: 1 for a (typo-tolerant) stem match, 0 for
 * listed opposites, else the vector cosine when it reaches SOFT_FLOOR. Whether a word may match
 * with a typo (stemsMatch's rule) is worked out once per word, not once per pair. `ub` holds the
 * unit vectors of `bs`; `rows` keeps each answer word's row against them.
 */
export function similarityMatrix(as: VectorWord[], bs: VectorWord[], ub: Float64Array, rows: Map<string, Float64Array>): Float64Array {
  const fuzzy = (x: { stem: string }) => x.stem.length >= 5 && !/\d/.test(x.stem);
  const fa = as.map(fuzzy);
  const fb = bs.map(fuzzy);
  const out = new Float64Array(as.length * bs.length);
  const dims = vectorDims();
  const lb = bs.map((x) => x.stem.length);
  for (let i = 0; i < as.length; i++) {
    const a = as[i]!;
    // A word's row against this reference never changes; answers to one question share most words.
    let row = rows.get(a.stem);
    if (!row) {
      row = new Float64Array(bs.length);
      const ua = unitRows([a.id]);
      for (let j = 0; j < bs.length; j++) {
        const b = bs[j]!;
        if (a.stem === b.stem || (fa[i] && fb[j] && (a.id < 0 || b.id < 0) && Math.abs(a.stem.length - lb[j]!) <= 1 && withinOneEdit(a.stem, b.stem))) row[j] = 1;
        else if (a.id >= 0 && b.id >= 0) {
          // Four running sums: the dot product is the hot loop of grading.
          const ob = j * dims;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let k = 0; k < dims; k += 4) {
            s0 += ua[k]! * ub[ob + k]!;
            s1 += ua[k + 1]! * ub[ob + k + 1]!;
            s2 += ua[k + 2]! * ub[ob + k + 2]!;
            s3 += ua[k + 3]! * ub[ob + k + 3]!;
          }
          const c = a.id === b.id ? 1 : s0 + s1 + s2 + s3;
          // Opposites ("increase"/"decrease") sit close in vector space; they never align.
          if (c >= SOFT_FLOOR && !oppositesOf(a.stem)?.has(b.stem)) row[j] = c;
        }
      }
      if (rows.size >= ROW_CACHE_MAX) rows.clear();
      rows.set(a.stem, row);
    }
    out.set(row, i * bs.length);
  }
  return out;
}

/** The IDF-weighted sum of the words' vectors (undefined when none has one). */
export function meanVector(xs: VectorWord[], idf: IdfTable | undefined): Float64Array | undefined {
  const acc = new Float64Array(vectorDims());
  let any = false;
  for (const x of xs) {
    if (x.id < 0) continue;
    addVector(acc, x.id, idfOf(idf, x.stem));
    any = true;
  }
  return any ? acc : undefined;
}

export function vectorCosine(va: Float64Array | undefined, vb: Float64Array | undefined): number {
  if (!va || !vb) return 0;
  let d = 0, na = 0, nb = 0;
  for (let j = 0; j < va.length; j++) {
    d += va[j]! * vb[j]!;
    na += va[j]! * va[j]!;
    nb += vb[j]! * vb[j]!;
  }
  return na > 0 && nb > 0 ? d / Math.sqrt(na * nb) : 0;
}
