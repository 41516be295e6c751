import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openDatabase } from '../../src/store/db.js';
import { UserError } from '../../src/core/kernel/errors.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'sparring-db-'));

describe('the database', () => {
  it('creates the file with WAL and records the schema version', () => {
    const file = join(tmp(), 'nested', 'sparring.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().at(-1)!.version);
    db.close();
  });

  it('keeps data across a reopen and does not re-run migrations', () => {
    const file = join(tmp(), 's.db');
    const db = openDatabase(file);
    db.prepare(`INSERT INTO users (key, platform, workspace, external_id, display_name, created_at) VALUES ('cli:local:a','cli','local','a','A',1)`).run();
    db.close();
    const again = openDatabase(file);
    expect(again.prepare('SELECT COUNT(*) AS n FROM users').get()).toEqual({ n: 1 });
    again.close();
  });

  it('applies a failing migration not at all', () => {
    const db = new Database(':memory:');
    const good = { version: 1, name: '001_a.sql', sql: 'CREATE TABLE a (x INTEGER);' };
    const bad = { version: 2, name: '002_b.sql', sql: 'CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);' };
    expect(() => migrate(db, [good, bad])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'b'`).get()).toBeUndefined();
  });

  it('refuses a corrupt file with a one-line message and leaves it as it was', () => {
    const file = join(tmp(), 'corrupt.db');
    writeFileSync(file, 'this is not a database'.repeat(100));
    const err = (() => { try { openDatabase(file); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/not a valid SQLite database/);
    expect((err as Error).message).not.toContain('\n');
  });

  it('refuses a place it cannot write with a one-line message', () => {
    // /proc refuses new files even to root, so this holds wherever the tests run.
    expect(() => openDatabase('/proc/sparring-test.db')).toThrow(/^cannot open database \/proc\/sparring-test.db: cannot write to it/);
    expect(() => openDatabase('/dev/null/sparring.db')).toThrow(/directory cannot be created/);
  });

  it('refuses a database written by a newer sparring', () => {
    const file = join(tmp(), 'new.db');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer than this sparring/);
  });
});
