import { macroF1, mae, pearson, quadraticWeightedKappa, spearman } from '../grading/metrics.js';
import { CORRECT_THRESHOLD } from '../grading/lexical/reference-model.js';
import { targetFromReferences } from '../grading/reference-target.js';
import type { Grader, GradingTarget } from '../core/kernel/grading.js';
import { readDataset, type Skipped } from './dataset.js';

/**
 * When an answer counts as correct for macro-F1. The lexical grader states how likely an answer
 * is fully correct (meta.correctProbability, judged at CORRECT_THRESHOLD, chosen by by-question
 * cross-validation on semeval2013-train, never on a test file). A grader that states no verdict
 * (the LLM grader) passes an answer that earns half marks or more: the split the labels use.
 */
export const PASS_THRESHOLD = 50;

export type EvalOptions = {
  file: string;
  grader: Grader;
  limit?: number;
  onProgress?: (done: number, total: number) => void;
};

export type EvalResult = {
  n: number;
  pearson: number;
  spearman: number;
  mae: number;
  qwk: number;
  macro_f1: number;
  /** The scale the labels use (largest max_score); `mae` and `qwk` are on it. */
  max_score: number;
  answers_per_second: number;
  skipped: Skipped[];
};

export async function runEval({ file, grader, limit, onProgress }: EvalOptions): Promise<EvalResult> {
  const { rows: all, skipped } = readDataset(file);
  const rows = limit !== undefined && limit >= 0 ? all.slice(0, limit) : all;
  if (rows.length === 0) throw new Error(`${file}: no row to grade (limit ${limit})`);
  const targets = new Map<string, GradingTarget>();
  const pred: number[] = [];
  const truth: number[] = [];
  const passed: boolean[] = [];
  const predOnScale: number[] = [];
  const truthOnScale: number[] = [];
  // QWK needs one integer scale: the largest max_score of the rows graded.
  const maxScale = Math.max(...rows.map((r) => Math.round(r.maxScore)));
  const started = performance.now();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const key = `${r.question}\u0000${r.references.join('\u0001')}`;
    let target = targets.get(key);
    if (!target) {
      target = targetFromReferences(r.question, r.references, r.id);
      targets.set(key, target);
    }
    const g = await grader.grade({ target, answer: r.answer });
    const p = g.score / 100;
    pred.push(p);
    const pc = g.meta?.correctProbability;
    passed.push(pc !== undefined && g.grader.kind === 'lexical' ? pc >= CORRECT_THRESHOLD : g.score >= PASS_THRESHOLD);
    truth.push(r.score / r.maxScore);
    predOnScale.push(Math.round(p * maxScale));
    truthOnScale.push(Math.round((r.score / r.maxScore) * maxScale));
    onProgress?.(i + 1, rows.length);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    n: rows.length,
    pearson: pearson(pred, truth),
    spearman: spearman(pred, truth),
    mae: mae(pred, truth) * maxScale,
    qwk: quadraticWeightedKappa(predOnScale, truthOnScale, 0, maxScale),
    macro_f1: macroF1(
      truth.map((t) => t >= 0.5),
      passed,
    ),
    max_score: maxScale,
    answers_per_second: seconds > 0 ? rows.length / seconds : rows.length,
    skipped,
  };
}
