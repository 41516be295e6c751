import type { Features } from './reference-features.js';

/**
 * How the features of an answer become a probability that it is correct: a logistic regression,
 * boosted trees, a small network, or their weighted average. Weights are trained by
 * scripts/train-lexical.ts and committed in model/reference-model.json.
 */

export type LinearModel = {
  features: readonly string[];
  mean: number[];
  std: number[];
  weights: number[];
};

/** Gradient-boosted regression trees over the same features (log-odds leaves). */
export type TreeNode = { leaf: number } | { f: number; t: number; l: TreeNode; r: TreeNode };
export type TreeModel = { kind: 'trees'; base: number; trees: TreeNode[] };

export function evalTree(t: TreeNode, f: Features): number {
  let n = t;
  while (!('leaf' in n)) n = f[n.f]! <= n.t ? n.l : n.r;
  return n.leaf;
}

export function predictTrees(m: TreeModel, f: Features): number {
  let z = m.base;
  for (const t of m.trees) z += evalTree(t, f);
  return sigmoid(z);
}

/** One-hidden-layer tanh network on standardised features: w1 is hidden-major (hidden × features). */
export type MlpModel = { mean: number[]; std: number[]; w1: number[]; b1: number[]; w2: number[]; b2: number };

export function predictMlp(m: MlpModel, f: Features): number {
  const d = m.mean.length;
  let z = m.b2;
  for (let h = 0; h < m.b1.length; h++) {
    let s = m.b1[h]!;
    for (let j = 0, o = h * d; j < d; j++) s += m.w1[o + j]! * ((f[j]! - m.mean[j]!) / m.std[j]!);
    z += m.w2[h]! * Math.tanh(s);
  }
  return sigmoid(z);
}

/**
 * Weighted mean of the linear model's, the trees' and (when present) the network's probabilities;
 * the trees get what the other two weights leave (equal linear/trees weights by default).
 */
export type EnsembleModel = { kind: 'ensemble'; linear: LinearModel; trees: TreeModel; wLinear?: number; mlp?: MlpModel; wMlp?: number };

export type ReferenceModel = LinearModel | TreeModel | EnsembleModel;

export function predictAny(m: ReferenceModel, f: Features): number {
  if (!('kind' in m)) return predict(m, f);
  if (m.kind === 'trees') return predictTrees(m, f);
  const w = m.wLinear ?? 0.5;
  const wm = m.mlp ? (m.wMlp ?? 0) : 0;
  return w * predict(m.linear, f) + (1 - w - wm) * predictTrees(m.trees, f) + (wm > 0 ? wm * predictMlp(m.mlp!, f) : 0);
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function predict(model: LinearModel, f: Features): number {
  let z = 0;
  for (let i = 0; i < f.length; i++) {
    const std = model.std[i] ?? 1;
    const x = std > 0 ? (f[i]! - (model.mean[i] ?? 0)) / std : f[i]!;
    z += x * (model.weights[i] ?? 0);
  }
  return sigmoid(z);
}
