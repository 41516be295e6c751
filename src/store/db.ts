import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/kernel/errors.js';

export type Db = Database.Database;

const MIGRATIONS_DIR = fileURLToPath(new URL('../../src/store/migrations/', import.meta.url));

export type Migration = { version: number; name: string; sql: string };

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(`${dir}/${f}`, 'utf8') }));
}

/** Applies every migration newer than `PRAGMA user_version`, each in its own transaction. */
export function migrate(db: Db, migrations = loadMigrations()): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new UserError(`database schema version ${current} is newer than this sparring (${latest}); upgrade sparring`);
  }
  for (const m of migrations.filter((m) => m.version > current)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return latest;
}

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date.
 * Failures become one-line UserErrors: a corrupt or read-only file is the user's to fix,
 * and nothing in it is touched.
 */
export function openDatabase(file: string): Db {
  let db: Db | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    if (file !== ':memory:') checkpointOnATimer(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot open database ${file}: ${describeSqliteError(err)}`);
  }
}

/**
 * SQLite's automatic checkpoint runs inside whichever commit crosses its threshold, adding
 * milliseconds to that user's turn. Checkpoints run on a timer instead, off the request path;
 * closing the database checkpoints whatever is left.
 */
function checkpointOnATimer(db: Db, everyMs = 5000): void {
  db.pragma('wal_autocheckpoint = 0');
  const timer = setInterval(() => {
    if (!db.open) return clearInterval(timer);
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or read-only for the moment: the next tick tries again.
    }
  }, everyMs);
  timer.unref();
}

function describeSqliteError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return 'the file is not a valid SQLite database (corrupt?); move it aside or set SPARRING_DB to another file';
    case 'EEXIST':
    case 'ENOTDIR':
      return 'its directory cannot be created (a file is in the way?); set SPARRING_DB to another path';
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'EACCES':
      return 'cannot write to it (read-only file or directory?); fix its permissions or set SPARRING_DB';
    default:
      return (e.message ?? String(err)).split('\n')[0] ?? 'unknown error';
  }
}
