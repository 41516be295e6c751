import { predictAny, type ReferenceModel } from './ensemble.js';
import type { IdfTable } from './idf.js';
import type { Prepared } from './prepared-text.js';
import { FEATURE_NAMES, referenceFeatures, type Features, type MatchInfo } from './reference-features.js';

/**
 * An answer against all the reference answers of its question: features per reference (with
 * what the references say together), and the verdict of the reference model on the best one.
 */

export type ReferenceMatch = {
  /** Probability-like similarity 0..1 to the best-matching reference. */
  prob: number;
  bestRef: number;
  features: Features;
  /** Answer content indices that matched the best reference. */
  answerMatched: Set<number>;
};

const SOFT_RECALL = FEATURE_NAMES.indexOf('soft_recall_novel');
const BEST_SOFT_ANY = FEATURE_NAMES.indexOf('best_soft_recall_any');
const MEAN_SOFT_ANY = FEATURE_NAMES.indexOf('mean_soft_recall_any');

/** Share of the references holding each stem (kept per reference list: graders reuse theirs). */
const consensusCache = new WeakMap<Prepared[], Map<string, number>>();
function refConsensus(refs: Prepared[]): Map<string, number> {
  let m = consensusCache.get(refs);
  if (!m) {
    m = new Map();
    for (const r of refs) for (const s of r.stems) m.set(s, (m.get(s) ?? 0) + 1 / refs.length);
    consensusCache.set(refs, m);
  }
  return m;
}

/** Simple recall of a reference's content stems (used to find the best reference cheaply). */
function plainRecall(a: Prepared, r: Prepared): number {
  if (r.stems.size === 0) return 0;
  let hit = 0;
  for (const s of r.stems) if (a.stems.has(s)) hit++;
  return hit / r.stems.size;
}

/** All per-reference feature vectors of an answer (for training and for grading). */
export function allReferenceFeatures(
  a: Prepared,
  refs: Prepared[],
  q: Set<string>,
  idf: IdfTable | undefined,
): { features: Features; answerMatched: Set<number> }[] {
  const unionStems = new Set<string>();
  for (const r of refs) for (const s of r.stems) unionStems.add(s);
  let bestRecall = 0;
  for (const r of refs) bestRecall = Math.max(bestRecall, plainRecall(a, r));
  const consensus = refConsensus(refs);
  const out = refs.map((r) => {
    const info: MatchInfo = { answerMatched: new Set() };
    const features = referenceFeatures(a, r, q, idf, { unionStems, bestRecall, consensus, count: refs.length }, info);
    return { features, answerMatched: info.answerMatched };
  });
  let bestSoft = 0;
  for (const x of out) bestSoft = Math.max(bestSoft, x.features[SOFT_RECALL]!);
  let meanSoft = 0;
  for (const x of out) meanSoft += x.features[SOFT_RECALL]! / out.length;
  for (const x of out) {
    x.features[BEST_SOFT_ANY] = bestSoft;
    x.features[MEAN_SOFT_ANY] = meanSoft;
  }
  return out;
}

/** Scores an answer against its references: the best-matching reference counts. */
export function matchReferences(
  a: Prepared,
  refs: Prepared[],
  q: Set<string>,
  model: ReferenceModel,
  idf: IdfTable | undefined,
): ReferenceMatch | undefined {
  if (refs.length === 0) return undefined;
  let best: ReferenceMatch | undefined;
  allReferenceFeatures(a, refs, q, idf).forEach((x, i) => {
    const prob = predictAny(model, x.features);
    if (!best || prob > best.prob) best = { prob, bestRef: i, features: x.features, answerMatched: x.answerMatched };
  });
  return best;
}
