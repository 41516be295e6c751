import type { Db } from './db.js';
import {
  FORGET_USER_ROW, ident, planForget, planRetention, schemaKeys, tally,
  type ForeignKey, type ForgetUserRow, type PrivacyCounts, type SchemaKeys, type Step,
} from './privacy-plan.js';

/**
 * Forget-me and retention over SQLite: the schema is read at run time (PRAGMA foreign_key_list)
 * and the plan from privacy-plan.ts runs in one transaction.
 */
export type { PrivacyCounts } from './privacy-plan.js';

function readKeys(db: Db): SchemaKeys {
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

/** Deletes everything about one user, in one transaction (see planForget). */
export function forgetUser(db: Db, userId: number): PrivacyCounts {
  return db.transaction((): PrivacyCounts => {
    const user = db.prepare(FORGET_USER_ROW).get(userId) as ForgetUserRow | undefined;
    return run(db, user ? planForget(readKeys(db), userId, user) : []);
  })();
}

/** Deletes old sessions and long-ended drills, in one transaction (see planRetention). */
export function applyRetention(db: Db, days: number, now: number): PrivacyCounts {
  return db.transaction((): PrivacyCounts => run(db, planRetention(readKeys(db), days, now)))();
}
