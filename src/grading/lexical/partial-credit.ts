import modelJson from './model/partial-credit.json' with { type: 'json' };
import type { Features } from './reference-features.js';

/**
 * The reference model says how likely an answer is to be *correct* (it learns from
 * correct/incorrect labels). People grade with partial credit: an answer that gets half the
 * point earns about half the marks. This ridge regression maps that probability and the
 * answer's similarity features to the share of full marks two human graders gave on a 0-5
 * partial-credit set (scripts/train-partial.ts, validated by question), so 80 reads as "4 of 5".
 */
export type PartialCreditModel = {
  /** Feature names after the logit of the reference probability, in order. */
  features: string[];
  /** Indices of those features in FEATURE_NAMES. */
  index: number[];
  mean: number[];
  std: number[];
  /** Intercept first, then one weight per standardised input (the logit, then `features`). */
  weights: number[];
};

export const PARTIAL_CREDIT_MODEL = modelJson as PartialCreditModel;

export const logit = (p: number) => {
  const q = Math.min(1 - 1e-4, Math.max(1e-4, p));
  return Math.log(q / (1 - q));
};

/** Share of full marks (0..1) for an answer whose reference probability is `p`. */
export function partialCredit(p: number, f: Features, m: PartialCreditModel = PARTIAL_CREDIT_MODEL): number {
  let z = m.weights[0]!;
  const x = [logit(p), ...m.index.map((j) => f[j]!)];
  for (let k = 0; k < x.length; k++) z += m.weights[k + 1]! * ((x[k]! - m.mean[k]!) / m.std[k]!);
  return Math.max(0, Math.min(1, z));
}
