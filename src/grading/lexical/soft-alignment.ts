import { idfOf, type IdfTable } from './idf.js';
import { keptWithReference, type Prepared } from './prepared-text.js';
import { meanVector, similarityMatrix, vectorCosine, type VectorWord } from './word-similarity.js';
import { unitRows } from './text.js';

/**
 * Soft alignment (Sultan et al. style): each word on one side is aligned to its most similar
 * word on the other side; "soft" sums the similarity, "aligned" counts pairs above
 * ALIGN_THRESHOLD. Only words the question does not already give count. A paraphrase ("the lamp
 * lit" for "the bulb lights") aligns where exact word overlap sees nothing.
 */

export const ALIGN_THRESHOLD = 0.6;

/**
 * The soft-alignment features of an answer against a reference, in FEATURE_NAMES order: soft and
 * aligned recall and precision of novel words, the cosine of IDF-weighted mean vectors (novel
 * words, all words), then the order and negation features of `sequenceFeatures`.
 */
export function softFeatures(a: Prepared, r: Prepared, q: Set<string>, idf: IdfTable | undefined): number[] {
  const an = a.uniq.filter((x) => !q.has(x.stem));
  const rn = keptWithReference(r, q, 'novel', () => r.uniq.filter((x) => !q.has(x.stem)));
  // Every answer word against every reference word, once: both directions read the same matrix.
  const ub = keptWithReference(r, q, 'unit', () => unitRows(rn.map((x) => x.id)));
  const sims = similarityMatrix(an, rn, ub, keptWithReference(r, q, 'rows', () => new Map<string, Float64Array>()));
  const dir = (from: VectorWord[], to: VectorWord[], at: (i: number, j: number) => number) => {
    let tot = 0, soft = 0, hard = 0;
    for (let i = 0; i < from.length; i++) {
      const w = idfOf(idf, from[i]!.stem);
      let best = 0;
      for (let j = 0; j < to.length && best < 1; j++) best = Math.max(best, at(i, j));
      tot += w;
      soft += w * best;
      if (best >= ALIGN_THRESHOLD) hard += w;
    }
    return tot > 0 ? [soft / tot, hard / tot] : [0, 0];
  };
  const [softR, hardR] = dir(rn, an, (i, j) => sims[j * rn.length + i]!);
  const [softP, hardP] = dir(an, rn, (i, j) => sims[i * rn.length + j]!);
  const meanNovel = keptWithReference(r, q, `mean-novel:${idf ? 'idf' : ''}`, () => meanVector(rn, idf));
  const meanAll = keptWithReference(r, q, `mean-all:${idf ? 'idf' : ''}`, () => meanVector(r.uniq, idf));
  const seq = sequenceFeatures(a, r, q, an, rn, sims);
  return [softR!, softP!, hardR!, hardP!, vectorCosine(meanVector(an, idf), meanNovel), vectorCosine(meanVector(a.uniq, idf), meanAll), ...seq];
}

/** A text's novel words in order, each as its row (answer) or column (reference) of the similarity matrix. */
type Aligned = { at: number; negated: boolean }[];

/**
 * Order and negation over the aligned words: soft bigram recall, the longest common subsequence
 * of aligned novel words over the reference's, and the share of aligned reference words whose
 * negation differs (a contradiction). (The size of the reference's vocabulary lowered CV.)
 */
function sequenceFeatures(a: Prepared, r: Prepared, q: Set<string>, an: VectorWord[], rn: VectorWord[], sims: Float64Array): number[] {
  const ai = new Map(an.map((x, i) => [x.stem, i]));
  const ri = keptWithReference(r, q, 'novel-index', () => new Map(rn.map((x, i) => [x.stem, i])));
  const rSeq: Aligned = keptWithReference(r, q, 'seq', () => r.content.filter((c) => !q.has(c.t.stem)).map((c) => ({ at: ri.get(c.t.stem)!, negated: c.negated })));
  const aSeq: Aligned = a.content.filter((c) => !q.has(c.t.stem)).map((c) => ({ at: ai.get(c.t.stem)!, negated: c.negated }));
  const R = rn.length;
  const aligned = (i: number, j: number) => sims[i * R + j]! >= ALIGN_THRESHOLD;
  return [softBigramRecall(aSeq, rSeq, aligned), alignedLcs(aSeq, rSeq, aligned), negationFlips(aSeq, rSeq, sims, R)];
}

/** Share of the reference's word pairs found, as aligned words, next to each other or one word apart in the answer. */
function softBigramRecall(aSeq: Aligned, rSeq: Aligned, aligned: (i: number, j: number) => boolean): number {
  let bTot = 0, bHit = 0;
  for (let x = 0; x + 1 < rSeq.length; x++) {
    const p = rSeq[x]!.at, n = rSeq[x + 1]!.at;
    if (p === n) continue;
    bTot++;
    let hit = false;
    for (let y = 0; y < aSeq.length && !hit; y++) {
      if (!aligned(aSeq[y]!.at, p)) continue;
      for (let z = y + 1; z <= y + 2 && z < aSeq.length; z++) if (aligned(aSeq[z]!.at, n)) hit = true;
    }
    if (hit) bHit++;
  }
  return bTot > 0 ? bHit / bTot : 0;
}

/** Longest common subsequence of aligned positions, over the reference's length. */
function alignedLcs(aSeq: Aligned, rSeq: Aligned, aligned: (i: number, j: number) => boolean): number {
  const m = aSeq.length, n = rSeq.length;
  let lcs = 0;
  if (m > 0 && n > 0) {
    let prev = new Int32Array(n + 1), cur = new Int32Array(n + 1);
    for (let x = 1; x <= m; x++) {
      const ia = aSeq[x - 1]!.at;
      for (let y = 1; y <= n; y++) cur[y] = aligned(ia, rSeq[y - 1]!.at) ? prev[y - 1]! + 1 : Math.max(prev[y]!, cur[y - 1]!);
      [prev, cur] = [cur, prev];
    }
    lcs = prev[n]!;
  }
  return n > 0 ? lcs / n : 0;
}

/** Share of aligned reference words whose best-aligned answer word differs in negation. */
function negationFlips(aSeq: Aligned, rSeq: Aligned, sims: Float64Array, R: number): number {
  let aligned = 0, flip = 0;
  for (const rc of rSeq) {
    let best = -1, bestSim = ALIGN_THRESHOLD;
    for (let y = 0; y < aSeq.length; y++) {
      const sv = sims[aSeq[y]!.at * R + rc.at]!;
      if (sv >= bestSim) { bestSim = sv; best = y; }
    }
    if (best < 0) continue;
    aligned++;
    if (aSeq[best]!.negated !== rc.negated) flip++;
  }
  return aligned > 0 ? flip / aligned : 0;
}
