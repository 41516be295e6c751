import { readdirSync, readFileSync } from 'node:fs';
import { UserError } from '../core/kernel/errors.js';

/**
 * Numbered migration files and the version rules both backends follow: files `NNN_name.sql`
 * apply in order, each once, and a database already past the newest file is refused rather
 * than used by code that does not know its schema.
 */
export type Migration = { version: number; name: string; sql: string };

export function loadMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(`${dir}/${f}`, 'utf8') }));
}

export const latestVersion = (migrations: Migration[]): number => migrations.at(-1)?.version ?? 0;

/** The migrations a database at `current` still needs; throws if it is newer than all of them. */
export function pendingMigrations(migrations: Migration[], current: number): Migration[] {
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new UserError(`database schema version ${current} is newer than this sparring (${latest}); upgrade sparring`);
  }
  return migrations.filter((m) => m.version > current);
}
