import type { Db } from './db.js';

/**
 * Forgetting a user and keeping data only so long. The schema is read at run time
 * (PRAGMA foreign_key_list), so tables added by later migrations are covered without
 * changes here: every column that references users, and everything that hangs off the
 * rows removed, is found and cleaned.
 */

/** Rows deleted (or, for `cleaned`, columns set to NULL), per table. */
export type PrivacyCounts = { deleted: Record<string, number>; cleaned: Record<string, number>; total: number };

type ForeignKey = { child: string; from: string; parent: string; to: string; onDelete: string; notNull: boolean };

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every foreign key in the database, by the table it points at. */
function foreignKeys(db: Db): Map<string, ForeignKey[]> {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((r) => r.name);
  const byParent = new Map<string, ForeignKey[]>();
  for (const child of tables) {
    const notNull = new Map((db.pragma(`table_info(${ident(child)})`) as { name: string; notnull: number }[]).map((c) => [c.name, c.notnull === 1]));
    for (const fk of db.pragma(`foreign_key_list(${ident(child)})`) as { table: string; from: string; to: string | null; on_delete: string }[]) {
      const parentPk = fk.to ?? primaryKey(db, fk.table);
      const list = byParent.get(fk.table) ?? [];
      list.push({ child, from: fk.from, parent: fk.table, to: parentPk, onDelete: fk.on_delete.toUpperCase(), notNull: notNull.get(fk.from) ?? false });
      byParent.set(fk.table, list);
    }
  }
  return byParent;
}

function primaryKey(db: Db, table: string): string {
  const pk = (db.pragma(`table_info(${ident(table)})`) as { name: string; pk: number }[]).find((c) => c.pk === 1);
  return pk?.name ?? 'rowid';
}

function tableExists(db: Db, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/**
 * Deletes the rows of `table` matching `where`, doing by hand what ON DELETE would do (so it
 * works, and counts, whether or not foreign_keys is on): children set to NULL where the key
 * says SET NULL, deleted otherwise.
 */
function deleteCascade(db: Db, fks: Map<string, ForeignKey[]>, counts: PrivacyCounts, table: string, where: string, params: unknown[], depth = 0): void {
  if (depth > 16) throw new Error(`foreign keys nest too deep at ${table}`);
  for (const fk of fks.get(table) ?? []) {
    const sub = `SELECT ${ident(fk.to)} FROM ${ident(table)} WHERE ${where}`;
    if (fk.child === table) continue; // a self-reference: the rows go together below
    if ((fk.onDelete === 'SET NULL' || fk.onDelete === 'SET DEFAULT') && !fk.notNull) {
      const n = db.prepare(`UPDATE ${ident(fk.child)} SET ${ident(fk.from)} = NULL WHERE ${ident(fk.from)} IN (${sub})`).run(...params).changes;
      if (n > 0) counts.cleaned[fk.child] = (counts.cleaned[fk.child] ?? 0) + n;
    } else {
      deleteCascade(db, fks, counts, fk.child, `${ident(fk.from)} IN (${sub})`, params, depth + 1);
    }
  }
  const n = db.prepare(`DELETE FROM ${ident(table)} WHERE ${where}`).run(...params).changes;
  if (n > 0) counts.deleted[table] = (counts.deleted[table] ?? 0) + n;
}

const emptyCounts = (): PrivacyCounts => ({ deleted: {}, cleaned: {}, total: 0 });
const finish = (c: PrivacyCounts): PrivacyCounts => ({
  ...c, total: [...Object.values(c.deleted), ...Object.values(c.cleaned)].reduce((a, b) => a + b, 0),
});

/** Columns whose row is about the user, so the row goes even where the key would only set NULL. */
const OWNER_COLUMNS = new Set(['user_id', 'candidate_id', 'author_id']);

/**
 * Deletes everything about one user, in one transaction: their sessions and turns, schedules,
 * drill participation, every drill event they authored (messages included), drills they ran,
 * mock interviews they were in, scores they gave, the threads the bot opened for them, the
 * name their platform showed, and finally their users row. A row that merely points at them
 * through a nullable column (e.g. a reviewer of someone else's record) keeps its row with the
 * column set to NULL.
 */
export function forgetUser(db: Db, userId: number): PrivacyCounts {
  return db.transaction((): PrivacyCounts => {
    const counts = emptyCounts();
    const user = db.prepare(`SELECT platform, workspace, external_id FROM users WHERE id = ?`).get(userId) as
      | { platform: string; workspace: string; external_id: string } | undefined;
    if (!user) return counts;
    const fks = foreignKeys(db);
    for (const fk of fks.get('users') ?? []) {
      const col = ident(fk.from);
      const removeRow = OWNER_COLUMNS.has(fk.from) || fk.notNull || fk.onDelete === 'CASCADE';
      if (removeRow) deleteCascade(db, fks, counts, fk.child, `${col} = ?`, [userId]);
      else {
        const n = db.prepare(`UPDATE ${ident(fk.child)} SET ${col} = NULL WHERE ${col} = ?`).run(userId).changes;
        if (n > 0) counts.cleaned[fk.child] = (counts.cleaned[fk.child] ?? 0) + n;
      }
    }
    // Not foreign keys: the platform's own id of the person a session thread was opened for, and their name.
    for (const table of ['platform_threads', 'platform_names']) {
      if (tableExists(db, table)) {
        deleteCascade(db, fks, counts, table, 'platform = ? AND workspace = ? AND user_id = ?', [user.platform, user.workspace, user.external_id]);
      }
    }
    deleteCascade(db, fks, counts, 'users', 'id = ?', [userId]);
    return finish(counts);
  })();
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes practice sessions created more than `days` days before `now` (their turns, and what
 * hangs off them, go too) and drills that ended more than `days` days ago. Schedules and users
 * stay: they are a summary, not the answers.
 */
export function applyRetention(db: Db, days: number, now: number): PrivacyCounts {
  if (!Number.isFinite(days) || days <= 0) throw new RangeError(`retention must be a positive number of days, not ${days}`);
  const cutoff = now - days * DAY_MS;
  return db.transaction((): PrivacyCounts => {
    const counts = emptyCounts();
    const fks = foreignKeys(db);
    deleteCascade(db, fks, counts, 'sessions', 'created_at < ?', [cutoff]);
    if (tableExists(db, 'drills')) deleteCascade(db, fks, counts, 'drills', `status = 'ended' AND ended_at < ?`, [cutoff]);
    return finish(counts);
  })();
}
