/**
 * Inverse document frequency: a word most answers use tells less than a rare one. The grader
 * runs without a table (every word weighs 1); scripts/train-lexical.ts can build one from a
 * training set.
 */

/** Document frequencies: idf(stem) = log((N + 1) / (df + 1)) + 1, unknown stems get the maximum. */
export type IdfTable = { n: number; df: Record<string, number> };

export function idfOf(table: IdfTable | undefined, stem: string): number {
  if (!table) return 1;
  const df = table.df[stem] ?? 0;
  return Math.log((table.n + 1) / (df + 1)) + 1;
}
