/**
 * Agreement metrics between a grader and human labels. All return NaN when undefined
 * (empty input, or zero variance for a correlation), never throw on well-formed input.
 */

function check(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) throw new Error(`length mismatch: ${x.length} vs ${y.length}`);
}

function mean(x: readonly number[]): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

export function pearson(x: readonly number[], y: readonly number[]): number {
  check(x, y);
  const n = x.length;
  if (n === 0) return NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/** 1-based ranks; tied values share the average of the ranks they span. */
export function ranks(x: readonly number[]): number[] {
  const order = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(x.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[order[k]![1]] = avg;
    i = j + 1;
  }
  return r;
}

export function spearman(x: readonly number[], y: readonly number[]): number {
  check(x, y);
  return pearson(ranks(x), ranks(y));
}

export function mae(x: readonly number[], y: readonly number[]): number {
  check(x, y);
  if (x.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]! - y[i]!);
  return s / x.length;
}

/**
 * Quadratic weighted kappa of two integer ratings on the scale min..max:
 * 1 - Σ w_ij O_ij / Σ w_ij E_ij with w_ij = (i-j)² / (k-1)², E from the marginals.
 */
export function quadraticWeightedKappa(a: readonly number[], b: readonly number[], min: number, max: number): number {
  check(a, b);
  const k = max - min + 1;
  if (a.length === 0 || k < 2) return NaN;
  const O = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const ha = new Array<number>(k).fill(0);
  const hb = new Array<number>(k).fill(0);
  for (let i = 0; i < a.length; i++) {
    const x = Math.round(a[i]!) - min;
    const y = Math.round(b[i]!) - min;
    if (x < 0 || x >= k || y < 0 || y >= k) throw new Error(`rating out of ${min}..${max}: ${a[i]} / ${b[i]}`);
    O[x]![y]!++;
    ha[x]!++;
    hb[y]!++;
  }
  const n = a.length;
  let num = 0, den = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = ((i - j) * (i - j)) / ((k - 1) * (k - 1));
      num += w * O[i]![j]!;
      den += (w * ha[i]! * hb[j]!) / n;
    }
  }
  if (den === 0) return num === 0 ? 1 : NaN;
  return 1 - num / den;
}

/** Mean of the F1 of class 1 and the F1 of class 0 (a class never seen nor predicted scores 0... unless both are empty: skipped). */
export function macroF1(truth: readonly boolean[], pred: readonly boolean[]): number {
  if (truth.length !== pred.length) throw new Error(`length mismatch: ${truth.length} vs ${pred.length}`);
  if (truth.length === 0) return NaN;
  const f1s: number[] = [];
  for (const cls of [true, false]) {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < truth.length; i++) {
      if (pred[i] === cls && truth[i] === cls) tp++;
      else if (pred[i] === cls) fp++;
      else if (truth[i] === cls) fn++;
    }
    if (tp + fp + fn === 0) continue;
    f1s.push((2 * tp) / (2 * tp + fp + fn));
  }
  return f1s.reduce((s, v) => s + v, 0) / f1s.length;
}
