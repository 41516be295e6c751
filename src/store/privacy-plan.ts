/**
 * Forgetting a user and keeping data only so long, planned from the schema's foreign keys so
 * tables added by later migrations are covered without changes here. Each backend reads its
 * foreign keys (SQLite: PRAGMA foreign_key_list; PostgreSQL: pg_constraint) and runs the planned
 * statements; the plan, and what counts as "about the user", live here once.
 * Statements use `?` placeholders; every statement of a plan takes the same parameters.
 *
 * The bulk (a heavy user's thousands of sessions, a year of old sessions) goes in batches:
 * a few hundred root rows with everything that hangs off them per transaction, so no single
 * statement holds the SQLite event loop or a PostgreSQL lock for long (see runBatched).
 */

/** Rows deleted (or, for `cleaned`, columns set to NULL), per table. */
export type PrivacyCounts = { deleted: Record<string, number>; cleaned: Record<string, number>; total: number };

export type ForeignKey = { child: string; from: string; parent: string; to: string; onDelete: string; notNull: boolean };

/** The tables and, by the table they point at, the foreign keys of a database. */
export type SchemaKeys = { tables: Set<string>; byParent: Map<string, ForeignKey[]> };

export type Step = { table: string; effect: 'deleted' | 'cleaned'; sql: string; params: unknown[] };

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function schemaKeys(tables: string[], fks: ForeignKey[]): SchemaKeys {
  const byParent = new Map<string, ForeignKey[]>();
  for (const fk of fks) byParent.set(fk.parent, [...(byParent.get(fk.parent) ?? []), fk]);
  return { tables: new Set(tables), byParent };
}

/** The row forgetUser starts from; no row, nothing to forget. */
export const FORGET_USER_ROW = `SELECT platform, workspace, external_id FROM users WHERE id = ?`;
export type ForgetUserRow = { platform: string; workspace: string; external_id: string };

/**
 * Deletes the rows of `table` matching `where`, doing by hand what ON DELETE would do (so it
 * works, and counts, whether or not the database enforces the keys): children set to NULL where
 * the key says SET NULL, deleted otherwise.
 */
function cascade(keys: SchemaKeys, steps: Step[], table: string, where: string, params: unknown[], depth = 0): void {
  if (depth > 16) throw new Error(`foreign keys nest too deep at ${table}`);
  for (const fk of keys.byParent.get(table) ?? []) {
    const sub = `SELECT ${ident(fk.to)} FROM ${ident(table)} WHERE ${where}`;
    if (fk.child === table) continue; // a self-reference: the rows go together below
    if ((fk.onDelete === 'SET NULL' || fk.onDelete === 'SET DEFAULT') && !fk.notNull) {
      steps.push({ table: fk.child, effect: 'cleaned', sql: `UPDATE ${ident(fk.child)} SET ${ident(fk.from)} = NULL WHERE ${ident(fk.from)} IN (${sub})`, params });
    } else {
      cascade(keys, steps, fk.child, `${ident(fk.from)} IN (${sub})`, params, depth + 1);
    }
  }
  steps.push({ table, effect: 'deleted', sql: `DELETE FROM ${ident(table)} WHERE ${where}`, params });
}

/** Columns whose row is about the user, so the row goes even where the key would only set NULL. */
const OWNER_COLUMNS = new Set(['user_id', 'candidate_id', 'author_id']);

/**
 * Everything about one user: their sessions and turns, schedules, drill participation, every
 * drill event they authored (messages included), drills they ran, mock interviews they were in,
 * scores they gave, the threads the bot opened for them, the name their platform showed, work
 * queued for them, and finally their users row. A row that merely points at them through a nullable column (e.g. a
 * reviewer of someone else's record) keeps its row with the column set to NULL.
 */
export function planForget(keys: SchemaKeys, userId: number, user: ForgetUserRow): Step[] {
  const steps: Step[] = [];
  for (const fk of keys.byParent.get('users') ?? []) {
    const col = ident(fk.from);
    const removeRow = OWNER_COLUMNS.has(fk.from) || fk.notNull || fk.onDelete === 'CASCADE';
    if (removeRow) cascade(keys, steps, fk.child, `${col} = ?`, [userId]);
    else steps.push({ table: fk.child, effect: 'cleaned', sql: `UPDATE ${ident(fk.child)} SET ${col} = NULL WHERE ${col} = ?`, params: [userId] });
  }
  // Not foreign keys: the platform's own id of the person a session thread was opened for, their
  // name, and the work waiting for them (a grading, replies in the outbox that quote their answer).
  for (const table of ['platform_threads', 'platform_names', 'jobs']) {
    if (keys.tables.has(table)) {
      cascade(keys, steps, table, 'platform = ? AND workspace = ? AND user_id = ?', [user.platform, user.workspace, user.external_id]);
    }
  }
  cascade(keys, steps, 'users', 'id = ?', [userId]);
  return steps;
}

/**
 * Where a batch of root rows comes from: `select` yields the key of at most `size` rows still
 * to go, and planBatch deletes those rows with what hangs off them.
 */
export type BatchSource = { table: string; key: string; select: string; params: unknown[] };

/**
 * How many root rows one batch takes: a session brings its turns, so a batch is a few hundred
 * rows. Measured on 300k turns (sparring bench --scale): 200 sessions a batch held the event
 * loop up to ~90 ms (transaction plus its checkpoint), 50 up to ~40 ms.
 */
export const BATCH_ROOTS = 50;

/** The column a table's children reference, when they all reference the same one. */
function keyOf(keys: SchemaKeys, table: string): string | undefined {
  const refs = new Set((keys.byParent.get(table) ?? []).map((fk) => fk.to));
  return refs.size === 1 ? [...refs][0] : undefined;
}

const source = (keys: SchemaKeys, table: string, where: string, params: unknown[], size: number): BatchSource[] => {
  const key = keyOf(keys, table);
  return key ? [{ table, key, select: `SELECT ${ident(key)} AS k FROM ${ident(table)} WHERE ${where} LIMIT ${Math.max(1, Math.floor(size))}`, params }] : [];
};

/**
 * The user's rows that carry rows of their own (sessions with their turns, drills they ran,
 * mock interviews about them), to be removed in batches before planForget finishes the rest
 * in one transaction.
 */
export function forgetBatches(keys: SchemaKeys, userId: number, size = BATCH_ROOTS): BatchSource[] {
  return (keys.byParent.get('users') ?? [])
    .filter((fk) => fk.child !== 'users' && (OWNER_COLUMNS.has(fk.from) || fk.notNull || fk.onDelete === 'CASCADE'))
    .flatMap((fk) => source(keys, fk.child, `${ident(fk.from)} = ?`, [userId], size));
}

/** Everything applyRetention removes, as batches (see planRetention). */
export function retentionBatches(keys: SchemaKeys, days: number, now: number, size = BATCH_ROOTS): BatchSource[] {
  const cutoff = retentionCutoff(days, now);
  return [
    ...source(keys, 'sessions', 'created_at < ?', [cutoff], size),
    ...(keys.tables.has('drills') ? source(keys, 'drills', `status = 'ended' AND ended_at < ?`, [cutoff], size) : []),
  ];
}

/** Deletes the rows of a batch (their keys) and what hangs off them. */
export function planBatch(keys: SchemaKeys, batch: BatchSource, ids: unknown[]): Step[] {
  const steps: Step[] = [];
  cascade(keys, steps, batch.table, `${ident(batch.key)} IN (${ids.map(() => '?').join(', ')})`, ids);
  return steps;
}

/**
 * Runs every batch of every source until none is left, then `last` (a plan run whole, in one
 * transaction), yielding to the event loop between transactions so other work runs in between.
 * `select` returns the keys of the next batch; `apply` runs a plan in one transaction.
 */
export async function runBatched(
  sources: BatchSource[],
  select: (batch: BatchSource) => Promise<unknown[]> | unknown[],
  apply: (steps: Step[]) => Promise<PrivacyCounts> | PrivacyCounts,
  plan: (ids: unknown[], batch: BatchSource) => Step[],
  last?: () => Promise<PrivacyCounts> | PrivacyCounts,
): Promise<PrivacyCounts> {
  let counts: PrivacyCounts = { deleted: {}, cleaned: {}, total: 0 };
  for (const batch of sources) {
    for (;;) {
      const ids = await select(batch);
      if (ids.length === 0) break;
      counts = merge(counts, await apply(plan(ids, batch)));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return last ? merge(counts, await last()) : counts;
}

function merge(a: PrivacyCounts, b: PrivacyCounts): PrivacyCounts {
  const out: PrivacyCounts = { deleted: { ...a.deleted }, cleaned: { ...a.cleaned }, total: a.total + b.total };
  for (const effect of ['deleted', 'cleaned'] as const) {
    for (const [table, n] of Object.entries(b[effect])) out[effect][table] = (out[effect][table] ?? 0) + n;
  }
  return out;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Practice sessions created more than `days` days before `now` (their turns, and what hangs off
 * them, go too) and drills that ended more than `days` days ago. Schedules and users stay: they
 * are a summary, not the answers.
 */
export function planRetention(keys: SchemaKeys, days: number, now: number): Step[] {
  const cutoff = retentionCutoff(days, now);
  const steps: Step[] = [];
  cascade(keys, steps, 'sessions', 'created_at < ?', [cutoff]);
  if (keys.tables.has('drills')) cascade(keys, steps, 'drills', `status = 'ended' AND ended_at < ?`, [cutoff]);
  return steps;
}

function retentionCutoff(days: number, now: number): number {
  if (!Number.isFinite(days) || days <= 0) throw new RangeError(`retention must be a positive number of days, not ${days}`);
  return now - days * DAY_MS;
}

/** The counts of a plan, given how many rows each of its statements changed. */
export function tally(steps: Step[], changes: number[]): PrivacyCounts {
  const counts: PrivacyCounts = { deleted: {}, cleaned: {}, total: 0 };
  steps.forEach((step, i) => {
    const n = changes[i] ?? 0;
    if (n > 0) counts[step.effect][step.table] = (counts[step.effect][step.table] ?? 0) + n;
    counts.total += n;
  });
  return counts;
}
