import modelJson from './model/reference-model.json' with { type: 'json' };
import type { MlpModel, ReferenceModel, TreeModel } from './ensemble.js';

/**
 * Trained by scripts/train-lexical.ts --ensemble --mlp on semeval2013-train (validated by
 * question): a weighted mean of a logistic regression, boosted trees and a small network.
 */
export const DEFAULT_REFERENCE_MODEL: ReferenceModel = modelJson.ensemble
  ? {
      kind: 'ensemble',
      linear: modelJson.linear,
      trees: modelJson.trees as TreeModel,
      wLinear: (modelJson as { wLinear?: number }).wLinear ?? 0.5,
      ...((modelJson as { mlp?: MlpModel }).mlp ? { mlp: (modelJson as { mlp: MlpModel }).mlp, wMlp: (modelJson as { wMlp?: number }).wMlp ?? 0 } : {}),
    }
  : modelJson.linear;

/** Probability at or above which an answer is judged correct: the pooled out-of-fold threshold of training. */
export const CORRECT_THRESHOLD: number = (modelJson as { pooledThreshold?: number }).pooledThreshold ?? 0.5;
