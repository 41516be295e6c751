import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/kernel/errors.js';
import { loadMigrations as loadFrom, pendingMigrations, latestVersion, type Migration } from './migration-files.js';

export type Db = Database.Database;
export type { Migration } from './migration-files.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../src/store/migrations/', import.meta.url));

export const loadMigrations = (dir = MIGRATIONS_DIR): Migration[] => loadFrom(dir);

const userVersion = (db: Db) => db.pragma('user_version', { simple: true }) as number;

/**
 * Applies every migration newer than `PRAGMA user_version`, each in its own transaction. Each
 * reads the version inside its BEGIN IMMEDIATE, so of two processes opening a fresh file at
 * once, the second waits for the first's write lock and then finds the migration already done.
 */
export function migrate(db: Db, migrations = loadMigrations()): number {
  const apply = db.transaction((m: Migration) => {
    if (!pendingMigrations(migrations, userVersion(db)).includes(m)) return;
    db.exec(m.sql);
    db.pragma(`user_version = ${m.version}`);
  });
  // Read outside a transaction first, so an up-to-date file is opened without taking its write lock.
  for (const m of pendingMigrations(migrations, userVersion(db))) apply.immediate(m);
  return latestVersion(migrations);
}

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date.
 * Failures become one-line UserErrors: a corrupt or read-only file is the user's to fix,
 * and nothing in it is touched.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (err) {
      throw new UserError(`cannot open database ${file}: ${describeSqliteError(err)}`);
    }
  }
  // While another process is creating the same fresh file, SQLite can answer SQLITE_BUSY at once
  // rather than through the busy timeout (switching a new file to WAL, or upgrading a lock both
  // hold): such an open is tried again from the start, shortly after, a bounded number of times.
  for (let attempt = 1; ; attempt++) {
    let db: Db | undefined;
    try {
      db = new Database(file);
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
      if (file !== ':memory:') checkpointOnATimer(db);
      return db;
    } catch (err) {
      db?.close();
      if (err instanceof UserError) throw err;
      if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY') && attempt < OPEN_ATTEMPTS) {
        pause(20 * attempt);
        continue;
      }
      throw new UserError(`cannot open database ${file}: ${describeSqliteError(err)}`);
    }
  }
}

const OPEN_ATTEMPTS = 10;

/** Opening is synchronous (better-sqlite3), so the wait between attempts is too. */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

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
