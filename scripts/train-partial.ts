/**
 * Trains the partial-credit layer of the lexical grader (src/grading/lexical/partial-credit.ts): a ridge
 * regression from the reference model's probability and the similarity features to the share of
 * full marks given by human graders on a 0-5 set. It also reports how well that score alone would
 * tell correct from incorrect answers (eval judges that by the grader's correctness verdict instead).
 *
 *   npx tsx scripts/train-lexical.ts --ensemble --mlp --dump oof.jsonl      # out-of-fold probabilities on the 2-way set
 *   npx tsx scripts/train-partial.ts --partial data/mohler-dev.csv --oof oof.jsonl [--lambda 100] [--folds 5] [--no-write]
 *
 * Validation holds out whole questions (grouped k-fold, and leave one question out), so the
 * printed numbers say how the score reads on questions it has never seen. The reported threshold is
 * chosen on the 2-way set's out-of-fold probabilities, never on a test file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readDataset } from '../src/eval/dataset.js';
import { predictAny } from '../src/grading/lexical/ensemble.js';
import { macroF1, mae, pearson, quadraticWeightedKappa } from '../src/grading/metrics.js';
import { contradiction, CONTRADICTION_KEEPS } from '../src/grading/lexical/contradiction.js';
import { logit, partialCredit, type PartialCreditModel } from '../src/grading/lexical/partial-credit.js';
import { DEFAULT_REFERENCE_MODEL } from '../src/grading/lexical/reference-model.js';
import { prepare } from '../src/grading/lexical/prepared-text.js';
import { FEATURE_NAMES, type Features } from '../src/grading/lexical/reference-features.js';
import { allReferenceFeatures } from '../src/grading/lexical/reference-match.js';
import { contentStems } from '../src/grading/lexical/text.js';

const { values } = parseArgs({
  options: {
    partial: { type: 'string' },
    oof: { type: 'string' },
    lambda: { type: 'string', default: '100' },
    folds: { type: 'string', default: '5' },
    /** Weight of each 2-way answer (target 1 or 0) in the fit beside the partial-credit answers. */
    'two-way-weight': { type: 'string', default: '0' },
    'no-write': { type: 'boolean', default: false },
    /** Comma-separated feature names beside the probability (default: all). */
    features: { type: 'string' },
  },
});
if (!values.partial || !values.oof) throw new Error('need --partial FILE.csv and --oof FILE.jsonl (see the header of this script)');

/** `keep`: the share of credit left after the grader's contradiction check (1 when none). */
type Example = { question: string; p: number; f: Features; keep: number; y: number; max: number; w?: number };

/** The reference the model likes best decides, as in the grader. */
function best(answer: string, question: string, references: string[], p?: number): { p: number; f: Features; keep: number } {
  const q = new Set(contentStems(question));
  const a = prepare(answer);
  const refs = references.map(prepare);
  let out = { p: -1, f: [] as Features, i: 0 };
  allReferenceFeatures(a, refs, q, undefined).forEach((x, i) => {
    const px = predictAny(DEFAULT_REFERENCE_MODEL, x.features);
    if (px > out.p) out = { p: px, f: x.features, i };
  });
  const keep = contradiction({ answerText: answer, answer: a, refText: references[out.i]!, ref: refs[out.i]!, question: q }) ? CONTRADICTION_KEEPS : 1;
  return { p: p ?? out.p, f: out.f, keep };
}

const partial: Example[] = values.partial.split(',').flatMap((file) =>
  readDataset(file).rows.map((r) => ({ question: r.question, ...best(r.answer, r.question, r.references), y: r.score / r.maxScore, max: r.maxScore })),
);
const twoWay = readFileSync(values.oof, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { label: number; p: number; question: string; references: string[]; answer: string; dataset: string });
const twoWayW = Number(values['two-way-weight']);
const twoWayEx = twoWay.map((r) => ({ question: r.question, ...best(r.answer, r.question, r.references, r.p), y: r.label, dataset: r.dataset, max: 1, w: twoWayW }));
const joint = (ex: Example[]) => (twoWayW > 0 ? [...ex, ...twoWayEx] : ex);

const use = values.features ? values.features.split(',') : FEATURE_NAMES.filter((n) => n !== 'bias');
const index = use.map((n) => {
  const j = (FEATURE_NAMES as readonly string[]).indexOf(n);
  if (j < 0) throw new Error(`unknown feature ${n}`);
  return j;
});
const inputs = (e: { p: number; f: Features }) => [logit(e.p), ...index.map((j) => e.f[j]!)];

function fit(ex: Example[], lambda: number): PartialCreditModel {
  const X = ex.map(inputs);
  const d = X[0]!.length;
  const mean = new Array<number>(d).fill(0), std = new Array<number>(d).fill(0);
  for (const x of X) x.forEach((v, j) => (mean[j]! += v / X.length));
  for (const x of X) x.forEach((v, j) => (std[j]! += (v - mean[j]!) ** 2 / X.length));
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]!) || 1;
  const Z = X.map((x) => [1, ...x.map((v, j) => (v - mean[j]!) / std[j]!)]);
  const n = d + 1;
  const A = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  Z.forEach((z, i) => {
    for (let j = 0; j < n; j++) {
      const w = ex[i]!.w ?? 1;
      A[j]![n]! += w * z[j]! * ex[i]!.y;
      for (let k = 0; k < n; k++) A[j]![k]! += w * z[j]! * z[k]!;
    }
  });
  for (let j = 1; j < n; j++) A[j]![j]! += lambda;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k <= n; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  const weights = A.map((row, i) => row[n]! / row[i]!);
  return { features: [...use], index, mean, std, weights };
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function report(name: string, pred: number[], ex: Example[]) {
  const y = ex.map((e) => e.y);
  const max = ex[0]!.max;
  const on = (v: number) => Math.round(v * max);
  console.log(
    `${name.padEnd(28)} pearson=${pearson(pred, y).toFixed(3)}  mae=${(mae(pred, y) * max).toFixed(3)} of ${max} (${mae(pred, y).toFixed(3)} of full marks)  qwk=${quadraticWeightedKappa(pred.map(on), y.map(on), 0, max).toFixed(3)}`,
  );
}

const lambda = Number(values.lambda);
const questions = [...new Set(partial.map((e) => e.question))];
const foldsK = Number(values.folds);
for (const [name, foldOf] of [
  [`${foldsK}-fold by question`, (q: string) => hash(q) % foldsK],
  ['leave one question out', (q: string) => questions.indexOf(q)],
] as const) {
  const pred = new Array<number>(partial.length).fill(0);
  const keys = new Set(partial.map((e) => foldOf(e.question)));
  for (const k of keys) {
    const m = fit(joint(partial.filter((e) => foldOf(e.question) !== k)), lambda);
    partial.forEach((e, i) => { if (foldOf(e.question) === k) pred[i] = partialCredit(e.p, e.f, m) * e.keep; });
  }
  report(`CV ${name}`, pred, partial);
}
report('uncalibrated probability', partial.map((e) => e.p), partial);
const mean = partial.reduce((s, e) => s + e.y, 0) / partial.length;
report('always the mean (baseline)', partial.map(() => mean), partial);

const model = fit(joint(partial), lambda);
// Pass threshold on the 2-way set's out-of-fold probabilities, mapped through the final layer.
const scores = twoWayEx.map((e) => 100 * partialCredit(e.p, e.f, model) * e.keep);
let bestT = 50, bestF = -1;
for (let t = 20; t <= 90; t++) {
  const f = macroF1(twoWayEx.map((e) => e.y === 1), scores.map((s) => s >= t));
  if (f > bestF) [bestF, bestT] = [f, t];
}
console.log(`2-way out-of-fold macro-F1 at pass threshold ${bestT}: ${bestF.toFixed(3)}`);
for (const ds of [...new Set(twoWayEx.map((e) => e.dataset))]) {
  const idx = twoWayEx.flatMap((e, i) => (e.dataset === ds ? [i] : []));
  console.log(`  ${ds.padEnd(12)} macro-F1 ${macroF1(idx.map((i) => twoWayEx[i]!.y === 1), idx.map((i) => scores[i]! >= bestT)).toFixed(3)}`);
}
if (!values['no-write']) {
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const out = { ...model, mean: model.mean.map(round), std: model.std.map(round), weights: model.weights.map(round) };
  writeFileSync(new URL('../src/grading/lexical/model/partial-credit.json', import.meta.url), JSON.stringify(out) + '\n');
  console.log('wrote src/grading/lexical/model/partial-credit.json');
}
