/**
 * Trains the reference-answer model of the lexical grader (a logistic regression over
 * question-agnostic similarity features; the best-matching reference counts) and writes
 * src/grading/lexical/model/reference-model.json (the `linear` part is what the grader uses).
 *
 *   npx tsx scripts/train-lexical.ts [--data FILE (default data/semeval2013-train.csv)] [--folds 5] [--no-write] [--idf] [--trees] [--ensemble [--mlp]]
 *     [--rounds 150 --depth 3 --lr 0.1 --minleaf 40] [--wlin 0.34 --wmlp 0.33 --hidden 8 --epochs 300 --l2 0.01]  [--drop f1,f2] [--dump oof.jsonl] [--seed S]
 *
 * The shipped model is `--ensemble --mlp`: weighted mean of the logistic regression (0.34), 150
 * boosted depth-3 trees (0.33) and a 8-unit tanh network (0.33). By-question CV Pearson 0.507 /
 * macro-F1 0.723 (pooled out-of-fold threshold 0.46). What moved it, in order: soft word alignment
 * over the vectors of scripts/build-embeddings.ts (0.466 / 0.698 before the soft-bigram, LCS,
 * negation-flip, consensus and best-soft-recall features; 0.474 / 0.703 with them); the number and
 * length of the references (the best of many references overstates a match: 0.493 / 0.714);
 * comparison and direction words kept as content in src/grading/lexical/text.ts (0.507 / 0.724). Two
 * known words are no longer typos of each other (CV unchanged at 0.507 / 0.723; it stops false
 * rubric credit such as "recall" for "rebalance").
 * No help: --idf, a general-English rarity weight (rank in the vector table), question length,
 * the share of answer words echoing the question, the share of unknown words, a wider network,
 * other tree settings. Check a change over several fold assignments (--seed a, --seed b): the
 * differences worth keeping hold on each.
 *
 * Tune on the TRAIN file only. Validation is by question (grouped k-fold), so the numbers
 * printed say how the grader does on questions it has never seen.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readDataset, type DatasetRow } from '../src/eval/dataset.js';
import { macroF1, mae, pearson, quadraticWeightedKappa } from '../src/grading/metrics.js';
import type { IdfTable } from '../src/grading/lexical/idf.js';
import { prepare, type Prepared } from '../src/grading/lexical/prepared-text.js';
import { FEATURE_NAMES, type Features } from '../src/grading/lexical/reference-features.js';
import { allReferenceFeatures } from '../src/grading/lexical/reference-match.js';
import {
  evalTree,
  predict,
  predictAny,
  predictTrees,
  type LinearModel,
  type MlpModel,
  type ReferenceModel,
  type TreeModel,
} from '../src/grading/lexical/ensemble.js';
import { contentStems } from '../src/grading/lexical/text.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: fileURLToPath(new URL('../data/semeval2013-train.csv', import.meta.url)) },
    folds: { type: 'string', default: '5' },
    'no-write': { type: 'boolean', default: false },
    idf: { type: 'boolean', default: false },
    lambda: { type: 'string', default: '1' },
    trees: { type: 'boolean', default: false },
    ensemble: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '150' },
    depth: { type: 'string', default: '3' },
    lr: { type: 'string', default: '0.1' },
    minleaf: { type: 'string', default: '40' },
    wlin: { type: 'string', default: '0.34' },
    drop: { type: 'string', default: '' },
    mlp: { type: 'boolean', default: false },
    wmlp: { type: 'string', default: '0.33' },
    hidden: { type: 'string', default: '8' },
    epochs: { type: 'string', default: '300' },
    l2: { type: 'string', default: '0.01' },
    dump: { type: 'string' },
    seed: { type: 'string', default: '' },
    /** Each partial-credit answer (max_score > 1) counts this many times in training. */
    'partial-weight': { type: 'string', default: '1' },
  },
});

/**
 * `label` is the share of full marks (1/0 for correct/incorrect sets, score/max for partial
 * credit): log-loss takes soft targets as they are, so one model learns both kinds of label.
 */
type Item = { row: DatasetRow; qKey: string; label: number; a: Prepared; refs: Prepared[]; q: Set<string> };

const rows = values.data!.split(',').flatMap((f) => readDataset(f).rows);
const byQ = new Map<string, { q: Set<string>; refs: Prepared[] }>();
const partialWeight = Number(values['partial-weight']);
const isPartial = (r: DatasetRow) => r.maxScore > 1;
const baseItems: Item[] = rows.map((row) => {
  const qKey = row.question + '\u0000' + row.references.join('||');
  let g = byQ.get(qKey);
  if (!g) {
    g = { q: new Set(contentStems(row.question)), refs: row.references.map(prepare) };
    byQ.set(qKey, g);
  }
  const label = isPartial(row) ? row.score / row.maxScore : row.score / row.maxScore >= 0.5 ? 1 : 0;
  return { row, qKey, label, a: prepare(row.answer), refs: g.refs, q: g.q };
});
// Training copies: partial-credit answers are few, so they may count several times (same question, same fold).
const items: Item[] = baseItems.flatMap((it) => (isPartial(it.row) ? Array.from({ length: partialWeight }, () => it) : [it]));

/** IDF over questions and references (one document each) of the given items. */
function buildIdf(its: Item[]): IdfTable {
  const docs = new Set<string>();
  for (const it of its) {
    docs.add(it.row.question);
    for (const r of it.row.references) docs.add(r);
  }
  const df: Record<string, number> = {};
  for (const d of docs) for (const s of new Set(contentStems(d))) df[s] = (df[s] ?? 0) + 1;
  // Keep only stems seen more than once: rare ones get the default (maximum) idf anyway.
  for (const k of Object.keys(df)) if (df[k]! < 2) delete df[k];
  return { n: docs.size, df };
}

/** --drop a,b: those features held at 0 (ablation by CV; a constant feature is ignored by both models). */
const dropIdx = values.drop!.split(',').filter(Boolean).map((n) => {
  const j = (FEATURE_NAMES as readonly string[]).indexOf(n);
  if (j < 0) throw new Error(`unknown feature ${n}`);
  return j;
});
const plainFeatures = new Map<Item, Features[]>();
function featuresFor(its: Item[], idf: IdfTable | undefined): Features[][] {
  if (idf) return its.map((it) => allReferenceFeatures(it.a, it.refs, it.q, idf).map((x) => x.features));
  return its.map((it) => {
    let f = plainFeatures.get(it);
    if (!f) {
      f = allReferenceFeatures(it.a, it.refs, it.q, undefined).map((x) => x.features);
      for (const x of f) for (const j of dropIdx) x[j] = 0;
      plainFeatures.set(it, f);
    }
    return f;
  });
}

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
function fitLogistic(X: Features[], y: number[], lambda: number): LinearModel {
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

/** Multiple-instance training: each answer is judged against the reference the model likes best. */
function train(F: Features[][], y: number[], lambda: number): LinearModel {
  const f1Index = FEATURE_NAMES.indexOf('f1');
  let pick = F.map((fs) => fs.reduce((b, f, i) => (f[f1Index]! > fs[b]![f1Index]! ? i : b), 0));
  let model = fitLogistic(F.map((fs, i) => fs[pick[i]!]!), y, lambda);
  for (let round = 0; round < 3; round++) {
    pick = F.map((fs) => fs.reduce((b, f, i) => (predict(model, f) > predict(model, fs[b]!) ? i : b), 0));
    model = fitLogistic(F.map((fs, i) => fs[pick[i]!]!), y, lambda);
  }
  return model;
}

type Tree = TreeModel['trees'][number];

/**
 * Gradient-boosted depth-limited regression trees on the log-loss, thresholds at feature quantiles.
 * Features are binned once (bin b = first cut ≥ value) so each node's split search is a histogram pass.
 */
function fitTrees(X: Features[], y: number[], rounds: number, depth: number, lr: number, minLeaf: number): TreeModel {
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

function trainTrees(F: Features[][], y: number[], lin: LinearModel): TreeModel {
  const pick = F.map((fs) => fs.reduce((b, f, i) => (predict(lin, f) > predict(lin, fs[b]!) ? i : b), 0));
  return fitTrees(F.map((fs, i) => fs[pick[i]!]!), y, Number(values.rounds), Number(values.depth), Number(values.lr), Number(values.minleaf));
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
function fitMlp(X: Features[], y: number[], lin: LinearModel, hidden: number, epochs: number, l2: number): MlpModel {
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

function pickModel(F: Features[][], y: number[], lin: LinearModel): ReferenceModel {
  if (values.ensemble && values.mlp) {
    const pick = F.map((fs) => fs.reduce((b, f, i) => (predict(lin, f) > predict(lin, fs[b]!) ? i : b), 0));
    const mlp = fitMlp(F.map((fs, i) => fs[pick[i]!]!), y, lin, Number(values.hidden), Number(values.epochs), Number(values.l2));
    return { kind: 'ensemble', linear: lin, trees: trainTrees(F, y, lin), wLinear: Number(values.wlin), mlp, wMlp: Number(values.wmlp) };
  }
  if (values.ensemble) return { kind: 'ensemble', linear: lin, trees: trainTrees(F, y, lin), wLinear: Number(values.wlin) };
  return values.trees ? trainTrees(F, y, lin) : lin;
}

function score(model: ReferenceModel, fs: Features[]): number {
  return Math.max(...fs.map((f) => predictAny(model, f)));
}

function bestThreshold(p: number[], y: number[]): number {
  let best = 0.5, bestF = -1;
  for (let t = 0.2; t <= 0.8001; t += 0.01) {
    const f = macroF1(y.map((v) => v === 1), p.map((v) => v >= t));
    if (f > bestF) [bestF, best] = [f, t];
  }
  return Math.round(best * 100) / 100;
}

const lambda = Number(values.lambda);
const useIdf = values.idf === true;
const folds = Number(values.folds);
const qKeys = [...byQ.keys()].sort();
// Deterministic shuffle of questions into folds.
const foldOf = new Map<string, number>();
qKeys
  .map((k) => [k, hash(values.seed + k)] as const)
  .sort((a, b) => a[1] - b[1])
  .forEach(([k], i) => foldOf.set(k, i % folds));

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const cvP: number[] = new Array(items.length).fill(0);
const cvThresholds: number[] = [];
/** The pass threshold is chosen on correct/incorrect answers only: a soft label has no "correct". */
const binaryThreshold = (its: Item[], p: number[]) => {
  const idx = its.flatMap((it, i) => (isPartial(it.row) ? [] : [i]));
  return idx.length > 0 ? bestThreshold(idx.map((i) => p[i]!), idx.map((i) => its[i]!.label)) : 0.5;
};
for (let k = 0; k < folds; k++) {
  const tr = items.filter((it) => foldOf.get(it.qKey) !== k);
  const te = items.map((it, i) => [it, i] as const).filter(([it]) => foldOf.get(it.qKey) === k);
  const idf = useIdf ? buildIdf(tr) : undefined;
  const trF = featuresFor(tr, idf);
  const lin = train(trF, tr.map((it) => it.label), lambda);
  const model = pickModel(trF, tr.map((it) => it.label), lin);
  const trP = featuresFor(tr, idf).map((fs) => score(model, fs));
  cvThresholds.push(binaryThreshold(tr, trP));
  const teF = featuresFor(te.map(([it]) => it), idf);
  te.forEach(([, i], j) => (cvP[i] = score(model, teF[j]!)));
}
const y = items.map((it) => it.label);
const th = cvThresholds.reduce((s, v) => s + v, 0) / folds;
// Reports count each answer once, whatever its training weight.
const once = items.flatMap((it, i) => (items.indexOf(it) === i ? [i] : []));
const report = (name: string, idx: number[]) => {
  const p = idx.map((i) => cvP[i]!);
  const t = idx.map((i) => y[i]!);
  const partial = idx.length > 0 && isPartial(items[idx[0]!]!.row);
  let line = `${name.padEnd(12)} n=${String(idx.length).padStart(5)}  pearson=${pearson(p, t).toFixed(3)}`;
  if (partial) {
    const max = items[idx[0]!]!.row.maxScore;
    const onScale = (v: number) => Math.round(v * max);
    line += `  mae=${(mae(p, t) * max).toFixed(3)} of ${max} (${mae(p, t).toFixed(3)} of full marks)  qwk=${quadraticWeightedKappa(p.map(onScale), t.map(onScale), 0, max).toFixed(3)}`;
    line += `  mean pred ${(p.reduce((a, b) => a + b, 0) / p.length).toFixed(3)} truth ${(t.reduce((a, b) => a + b, 0) / t.length).toFixed(3)}`;
  } else line += `  macroF1@${th.toFixed(2)}=${macroF1(t.map((v) => v === 1), p.map((v) => v >= th)).toFixed(3)}`;
  console.log(line);
};
console.log(`by-question ${folds}-fold CV (idf=${useIdf}, lambda=${lambda}, partial weight ${partialWeight}); fold thresholds ${cvThresholds.join(' ')}`);
const binaryOnce = once.filter((i) => !isPartial(items[i]!.row));
report('binary', binaryOnce);
const pooledTh = binaryOnce.length > 0 ? bestThreshold(binaryOnce.map((i) => cvP[i]!), binaryOnce.map((i) => y[i]!)) : 0.5;
console.log(`pooled out-of-fold best threshold ${pooledTh}: macroF1=${macroF1(binaryOnce.map((i) => y[i] === 1), binaryOnce.map((i) => cvP[i]! >= pooledTh)).toFixed(3)}`);
if (values.dump) {
  // Out-of-fold predictions, for error analysis.
  const lines = once.map((i) => { const it = items[i]!; return JSON.stringify({ id: it.row.id, dataset: it.row.dataset, label: it.label, p: cvP[i], question: it.row.question, references: it.row.references, answer: it.row.answer }); });
  writeFileSync(values.dump, lines.join('\n') + '\n');
}
for (const ds of [...new Set(items.map((it) => it.row.dataset))]) {
  report(ds, once.filter((i) => items[i]!.row.dataset === ds));
}

const idf = useIdf ? buildIdf(items) : undefined;
const allF = featuresFor(items, idf);
const lin = train(allF, y, lambda);
const model = pickModel(allF, y, lin);
const threshold = binaryThreshold(items, featuresFor(items, idf).map((fs) => score(model, fs)));
console.log('final weights:');
FEATURE_NAMES.forEach((n, j) => console.log(`  ${n.padEnd(20)} ${lin.weights[j]!.toFixed(3)}`));
console.log(`train-fit threshold ${threshold}, CV mean threshold ${th.toFixed(2)}`);
if (!values['no-write']) {
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  writeFileSync(
    new URL('../src/grading/lexical/model/reference-model.json', import.meta.url),
    JSON.stringify({
      trainedOn: 'semeval2013-train (by-question CV)',
      cvThreshold: round(th),
      features: [...FEATURE_NAMES],
      linear: { features: lin.features, mean: lin.mean.map(round), std: lin.std.map(round), weights: lin.weights.map(round) },
      pooledThreshold: pooledTh,
      ...('kind' in model ? { trees: roundTrees(model.kind === 'trees' ? model : model.trees, round), ensemble: model.kind === 'ensemble', ...(model.kind === 'ensemble' ? { wLinear: model.wLinear ?? 0.5 } : {}), ...(model.kind === 'ensemble' && model.mlp ? { mlp: roundMlp(model.mlp, round), wMlp: model.wMlp } : {}) } : {}),
    }) + '\n',
  );
  console.log('wrote src/grading/lexical/model/reference-model.json');
}

function roundMlp(m: MlpModel, round: (v: number) => number): MlpModel {
  return { mean: m.mean.map(round), std: m.std.map(round), w1: m.w1.map(round), b1: m.b1.map(round), w2: m.w2.map(round), b2: round(m.b2) };
}

function roundTrees(m: TreeModel, round: (v: number) => number): TreeModel {
  const r = (t: Tree): Tree => ('leaf' in t ? { leaf: round(t.leaf) } : { f: t.f, t: t.t, l: r(t.l), r: r(t.r) });
  return { kind: 'trees', base: round(m.base), trees: m.trees.map(r) };
}
