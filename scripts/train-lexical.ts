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
  predict,
  predictAny,
  type LinearModel,
  type MlpModel,
  type ReferenceModel,
  type TreeModel,
} from '../src/grading/lexical/ensemble.js';
import { contentStems } from '../src/grading/lexical/text.js';
import { fitLogistic, fitMlp, fitTrees, type Tree } from './fit-models.js';

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

function trainTrees(F: Features[][], y: number[], lin: LinearModel): TreeModel {
  const pick = F.map((fs) => fs.reduce((b, f, i) => (predict(lin, f) > predict(lin, fs[b]!) ? i : b), 0));
  return fitTrees(F.map((fs, i) => fs[pick[i]!]!), y, Number(values.rounds), Number(values.depth), Number(values.lr), Number(values.minleaf));
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
