import type { Db } from './db.js';
import { clearNameCache } from './name-cache.js';
import {
  FORGET_USER_ROW, forgetBatches, ident, planBatch, planForget, planRetention, retentionBatches, runBatched, schemaKeys, tally,
  type BatchSource, type ForeignKey, type ForgetUserRow, type PrivacyCounts, type SchemaKeys, type Step,
} from './privacy-plan.js';

/**
 * Forget-me and retention over SQLite: the schema is read at run time (PRAGMA foreign_key_list)
 * and the plan from privacy-plan.ts runs in batches, one short transaction each. better-sqlite3
 * blocks the event loop for as long as a statement runs, so one big delete would stall every
 * other user's turn; between batches the loop is free.
 */
export type { PrivacyCounts } from './privacy-plan.js';

/** The tables and foreign keys of the open database, as the plans read them. */
export function readSchemaKeys(db: Db): SchemaKeys {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((r) => r.name);
  const fks: ForeignKey[] = [];
  for (const child of tables) {
    const columns = db.pragma(`table_info(${ident(child)})`) as { name: string; notnull: number }[];
    const notNull = new Map(columns.map((c) => [c.name, c.notnull === 1]));
    for (const fk of db.pragma(`foreign_key_list(${ident(child)})`) as { table: string; from: string; to: string | null; on_delete: string }[]) {
      fks.push({ child, from: fk.from, parent: fk.table, to: fk.to ?? primaryKey(db, fk.table), onDelete: fk.on_delete.toUpperCase(), notNull: notNull.get(fk.from) ?? false });
    }
  }
  return schemaKeys(tables, fks);
}

function primaryKey(db: Db, table: string): string {
  const pk = (db.pragma(`table_info(${ident(table)})`) as { name: string; pk: number }[]).find((c) => c.pk === 1);
  return pk?.name ?? 'rowid';
}

const run = (db: Db, steps: Step[]): PrivacyCounts => tally(steps, steps.map((s) => db.prepare(s.sql).run(...s.params).changes));

/**
 * One batch, then a checkpoint of what it wrote: checkpoints otherwise run on a timer (db.ts),
 * and one after thousands of deleted rows would copy the whole backlog to the file in a single
 * blocking call (hundreds of milliseconds at 300k turns); a batch's pages take a few.
 */
const inTransaction = (db: Db, steps: Step[]): PrivacyCounts => {
  const counts = db.transaction(() => run(db, steps))();
  if (db.name !== ':memory:') {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy for the moment: the timer's checkpoint catches up.
    }
  }
  return counts;
};

const nextBatch = (db: Db) => (batch: BatchSource): unknown[] =>
  (db.prepare(batch.select).all(...batch.params) as { k: unknown }[]).map((r) => r.k);

/**
 * Deletes everything about one user (see planForget): their sessions, drills and mock interviews
 * in batches, then the rest, and anything added meanwhile, in one last transaction, so when this
 * resolves nothing of theirs is left.
 */
export async function forgetUser(db: Db, userId: number, batchSize?: number): Promise<PrivacyCounts> {
  if (!db.prepare(FORGET_USER_ROW).get(userId)) return tally([], []);
  const keys = readSchemaKeys(db);
  const counts = await runBatched(forgetBatches(keys, userId, batchSize), nextBatch(db), (steps) => inTransaction(db, steps), (ids, b) => planBatch(keys, b, ids),
    () => db.transaction((): PrivacyCounts => {
      const user = db.prepare(FORGET_USER_ROW).get(userId) as ForgetUserRow | undefined;
      return run(db, user ? planForget(keys, userId, user) : []);
    })());
  // The name goes from memory too, not only from platform_names (see name-cache.ts).
  clearNameCache(db);
  return counts;
}

/** Deletes old sessions and long-ended drills, in batches (see planRetention). */
export async function applyRetention(db: Db, days: number, now: number, batchSize?: number): Promise<PrivacyCounts> {
  const keys = readSchemaKeys(db);
  return runBatched(retentionBatches(keys, days, now, batchSize), nextBatch(db), (steps) => inTransaction(db, steps), (ids, b) => planBatch(keys, b, ids),
    () => inTransaction(db, planRetention(keys, days, now)));
}
