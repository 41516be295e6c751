import type pg from 'pg';
import { clearNameCache } from '../name-cache.js';
import {
  FORGET_USER_ROW, forgetBatches, planBatch, planForget, planRetention, retentionBatches, runBatched, schemaKeys, tally,
  type BatchSource, type ForeignKey, type ForgetUserRow, type PrivacyCounts, type SchemaKeys, type Step,
} from '../privacy-plan.js';
import { all, inTransaction, numbered, one, run, type Pool } from './pool.js';

/**
 * Forget-me and retention over PostgreSQL: the foreign keys of the current schema are read
 * from the catalog (pg_constraint), and the plan from privacy-plan.ts runs in batches, one short
 * transaction each, so row locks are held briefly and no transaction grows with a user's history.
 */

const ON_DELETE: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/** The tables and foreign keys of the current schema, as the plans read them. */
export async function readSchemaKeys(tx: pg.Pool | pg.PoolClient): Promise<SchemaKeys> {
  const tables = await all<{ name: string }>(tx, `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`);
  // Every key this schema has is on one column, so conkey[1] and confkey[1] name it.
  const fks = await all<Omit<ForeignKey, 'onDelete'> & { del: string }>(tx,
    `SELECT child.relname AS child, a.attname AS "from", parent.relname AS parent, pa.attname AS "to",
            c.confdeltype AS del, a.attnotnull AS "notNull"
       FROM pg_constraint c
       JOIN pg_class child ON child.oid = c.conrelid
       JOIN pg_class parent ON parent.oid = c.confrelid
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
      WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
      ORDER BY child.relname, c.conname`);
  return schemaKeys(tables.map((t) => t.name), fks.map(({ del, ...fk }) => ({ ...fk, onDelete: ON_DELETE[del] ?? 'NO ACTION' })));
}

async function execute(tx: pg.PoolClient, steps: Step[]): Promise<PrivacyCounts> {
  const changes: number[] = [];
  for (const step of steps) changes.push(await run(tx, numbered(step.sql), step.params));
  return tally(steps, changes);
}

const nextBatch = (db: Pool) => async (batch: BatchSource): Promise<unknown[]> =>
  (await all<{ k: unknown }>(db, numbered(batch.select), batch.params)).map((r) => r.k);

/**
 * Deletes everything about one user (see planForget): their sessions, drills and mock interviews
 * in batches, then the rest, and anything added meanwhile, in one last transaction.
 */
export async function forgetUser(db: Pool, userId: number, batchSize?: number): Promise<PrivacyCounts> {
  if (!(await one(db, numbered(FORGET_USER_ROW), [userId]))) return tally([], []);
  const keys = await readSchemaKeys(db);
  const counts = await runBatched(forgetBatches(keys, userId, batchSize), nextBatch(db), (steps) => inTransaction(db, (tx) => execute(tx, steps)), (ids, b) => planBatch(keys, b, ids),
    () => inTransaction(db, async (tx) => {
      const user = await one<ForgetUserRow>(tx, numbered(FORGET_USER_ROW), [userId]);
      return execute(tx, user ? planForget(keys, userId, user) : []);
    }));
  // The name goes from memory too, not only from platform_names (see name-cache.ts).
  clearNameCache(db);
  return counts;
}

/** Deletes old sessions and long-ended drills, in batches (see planRetention). */
export async function applyRetention(db: Pool, days: number, now: number, batchSize?: number): Promise<PrivacyCounts> {
  const keys = await readSchemaKeys(db);
  return runBatched(retentionBatches(keys, days, now, batchSize), nextBatch(db), (steps) => inTransaction(db, (tx) => execute(tx, steps)), (ids, b) => planBatch(keys, b, ids),
    () => inTransaction(db, (tx) => execute(tx, planRetention(keys, days, now))));
}
