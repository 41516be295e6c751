/**
 * The model fitters the offline grader's training uses: L2-regularised logistic regression by
 * Newton's method, gradient-boosted regression trees and a one-layer network. Deterministic, so
 * a retrain on the same data writes the same model.
 */
import { FEATURE_NAMES, type Features } from '../src/grading/lexical/reference-features.js';
import { evalTree, type LinearModel, type MlpModel, type TreeModel } from '../src/grading/lexical/ensemble.js';

function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const piv = M[c]![c]!;
    if (Math.abs(piv) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / piv;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

/** L2-regularised logistic regression by Newton's method on standardised features. */
export function fitLogistic(X: Features[], y: number[], lambda: number): LinearModel {
  const d = X[0]!.length;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const x of X) x.forEach((v, j) => (mean[j]! += v / X.length));
  for (const x of X) x.forEach((v, j) => (std[j]! += (v - mean[j]!) ** 2 / X.length));
  for (let j = 0; j < d; j++) {
    std[j] = Math.sqrt(std[j]!);
    if (FEATURE_NAMES[j] === 'bias' || std[j]! < 1e-9) {
      mean[j] = 0;
      std[j] = 1;
    }
  }
  const Z = X.map((x) => x.map((v, j) => (v - mean[j]!) / std[j]!));
  let w = new Array<number>(d).fill(0);
  for (let iter = 0; iter < 25; iter++) {
    const g = new Array<number>(d).fill(0);
    const H = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < Z.length; i++) {
      const z = Z[i]!;
      let s = 0;
      for (let j = 0; j < d; j++) s += z[j]! * w[j]!;
      const p = 1 / (1 + Math.exp(-s));
      const r = p - y[i]!;
      const q = p * (1 - p);
      for (let j = 0; j < d; j++) {
        g[j]! += r * z[j]!;
        for (let k = j; k < d; k++) H[j]![k]! += q * z[j]! * z[k]!;
      }
    }
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < j; k++) H[j]![k] = H[k]![j]!;
      if (FEATURE_NAMES[j] !== 'bias') {
        g[j]! += lambda * w[j]!;
        H[j]![j]! += lambda;
      } else H[j]![j]! += 1e-6;
    }
    const step = solve(H, g);
    w = w.map((v, j) => v - step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-7) break;
  }
  return { features: [...FEATURE_NAMES], mean, std, weights: w };
}


export type Tree = TreeModel['trees'][number];

/**
 * Gradient-boosted depth-limited regression trees on the log-loss, thresholds at feature quantiles.
 * Features are binned once (bin b = first cut ≥ value) so each node's split search is a histogram pass.
 */
export function fitTrees(X: Features[], y: number[], rounds: number, depth: number, lr: number, minLeaf: number): TreeModel {
  const d = X[0]!.length;
  const n = X.length;
  const cuts: number[][] = [];
  for (let j = 0; j < d; j++) {
    const vals = [...new Set(X.map((x) => x[j]!))].sort((a, b) => a - b);
    const qs = new Set<number>();
    for (let k = 1; k < 32; k++) qs.add(vals[Math.floor((k * vals.length) / 32)] ?? vals[0]!);
    cuts.push([...qs]);
  }
  // bins[j][i]: index of the first cut with X[i][j] <= cut (cuts.length when above all).
  const bins = cuts.map((cs, j) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = X[i]![j]!;
      let c = 0;
      while (c < cs.length && v > cs[c]!) c++;
      b[i] = c;
    }
    return b;
  });
  const p0 = y.reduce((s, v) => s + v, 0) / y.length;
  const base = Math.log(p0 / (1 - p0));
  const F = new Array<number>(n).fill(base);
  const trees: Tree[] = [];
  const hg = new Float64Array(33), hh = new Float64Array(33), hn = new Int32Array(33);
  const build = (idx: number[], g: number[], h: number[], level: number): Tree => {
    let G = 0, H = 0;
    for (const i of idx) { G += g[i]!; H += h[i]!; }
    const leaf: Tree = { leaf: (lr * G) / (H + 1) };
    if (level >= depth || idx.length < 2 * minLeaf) return leaf;
    let best = { gain: 1e-6, j: -1, t: 0 };
    const parent = (G * G) / (H + 1);
    for (let j = 0; j < d; j++) {
      const cs = cuts[j]!;
      const bj = bins[j]!;
      hg.fill(0); hh.fill(0); hn.fill(0);
      for (const i of idx) { const b = bj[i]!; hg[b]! += g[i]!; hh[b]! += h[i]!; hn[b]!++; }
      let gl = 0, hl = 0, nl = 0;
      for (let c = 0; c < cs.length; c++) {
        gl += hg[c]!; hl += hh[c]!; nl += hn[c]!;
        if (nl < minLeaf || idx.length - nl < minLeaf) continue;
        const gain = (gl * gl) / (hl + 1) + ((G - gl) * (G - gl)) / (H - hl + 1) - parent;
        if (gain > best.gain) best = { gain, j, t: cs[c]! };
      }
    }
    if (best.j < 0) return leaf;
    const L = idx.filter((i) => X[i]![best.j]! <= best.t);
    const R = idx.filter((i) => X[i]![best.j]! > best.t);
    return { f: best.j, t: best.t, l: build(L, g, h, level + 1), r: build(R, g, h, level + 1) };
  };
  const all = X.map((_, i) => i);
  for (let m = 0; m < rounds; m++) {
    const g = F.map((f, i) => y[i]! - 1 / (1 + Math.exp(-f)));
    const h = F.map((f) => { const p = 1 / (1 + Math.exp(-f)); return p * (1 - p); });
    const tree = build(all, g, h, 0);
    trees.push(tree);
    for (let i = 0; i < n; i++) F[i]! += evalTree(tree, X[i]!);
  }
  return { kind: 'trees', base, trees };
}


/** Deterministic PRNG (mulberry32) for the network's initial weights. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One hidden tanh layer, log-loss, full-batch Adam with L2, on the features standardised like the linear model. */
export function fitMlp(X: Features[], y: number[], lin: LinearModel, hidden: number, epochs: number, l2: number): MlpModel {
  const d = X[0]!.length;
  const n = X.length;
  const mean = lin.mean, std = lin.std.map((v) => (v > 0 ? v : 1));
  const Z = X.map((x) => x.map((v, j) => (v - mean[j]!) / std[j]!));
  const rand = rng(12345);
  const w1 = Array.from({ length: hidden * d }, () => (rand() * 2 - 1) * Math.sqrt(3 / d));
  const b1 = new Array<number>(hidden).fill(0);
  const w2 = Array.from({ length: hidden }, () => (rand() * 2 - 1) * Math.sqrt(3 / hidden));
  let b2 = 0;
  const params = [w1, b1, w2];
  const m1 = params.map((p) => new Float64Array(p.length)), v1 = params.map((p) => new Float64Array(p.length));
  let mb = 0, vb = 0;
  const lr = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  const act = new Float64Array(hidden);
  for (let e = 1; e <= epochs; e++) {
    const g = params.map((p) => new Float64Array(p.length));
    let gb2 = 0;
    for (let i = 0; i < n; i++) {
      const z = Z[i]!;
      let out = b2;
      for (let h = 0; h < hidden; h++) {
        let s = b1[h]!;
        for (let j = 0, o = h * d; j < d; j++) s += w1[o + j]! * z[j]!;
        act[h] = Math.tanh(s);
        out += w2[h]! * act[h]!;
      }
      const r = (1 / (1 + Math.exp(-out)) - y[i]!) / n;
      gb2 += r;
      for (let h = 0; h < hidden; h++) {
        g[2]![h]! += r * act[h]!;
        const dh = r * w2[h]! * (1 - act[h]! * act[h]!);
        g[1]![h]! += dh;
        for (let j = 0, o = h * d; j < d; j++) g[0]![o + j]! += dh * z[j]!;
      }
    }
    for (let k = 0; k < 3; k++) {
      const p = params[k]!;
      for (let j = 0; j < p.length; j++) {
        const gj = g[k]![j]! + (k === 1 ? 0 : l2 * p[j]!);
        m1[k]![j] = beta1 * m1[k]![j]! + (1 - beta1) * gj;
        v1[k]![j] = beta2 * v1[k]![j]! + (1 - beta2) * gj * gj;
        p[j]! -= (lr * (m1[k]![j]! / (1 - beta1 ** e))) / (Math.sqrt(v1[k]![j]! / (1 - beta2 ** e)) + eps);
      }
    }
    mb = beta1 * mb + (1 - beta1) * gb2;
    vb = beta2 * vb + (1 - beta2) * gb2 * gb2;
    b2 -= (lr * (mb / (1 - beta1 ** e))) / (Math.sqrt(vb / (1 - beta2 ** e)) + eps);
  }
  return { mean: [...mean], std, w1, b1, w2, b2 };
}

