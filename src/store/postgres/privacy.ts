import type pg from 'pg';
import {
  FORGET_USER_ROW, planForget, planRetention, schemaKeys, tally,
  type ForeignKey, type ForgetUserRow, type PrivacyCounts, type SchemaKeys, type Step,
} from '../privacy-plan.js';
import { all, inTransaction, numbered, one, run, type Pool } from './pool.js';

/**
 * Forget-me and retention over PostgreSQL: the foreign keys of the current schema are read
 * from the catalog (pg_constraint), and the plan from privacy-plan.ts runs in one transaction.
 */

const ON_DELETE: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

async function readKeys(tx: pg.PoolClient): Promise<SchemaKeys> {
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

export const forgetUser = (db: Pool, userId: number): Promise<PrivacyCounts> => inTransaction(db, async (tx) => {
  const user = await one<ForgetUserRow>(tx, numbered(FORGET_USER_ROW), [userId]);
  return execute(tx, user ? planForget(await readKeys(tx), userId, user) : []);
});

export const applyRetention = (db: Pool, days: number, now: number): Promise<PrivacyCounts> =>
  inTransaction(db, async (tx) => execute(tx, planRetention(await readKeys(tx), days, now)));
