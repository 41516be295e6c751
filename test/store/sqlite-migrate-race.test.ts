import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/store/db.js';
import { atOnce, distModule } from '../support/race.js';

describe('two processes opening one fresh SQLite file at once', () => {
  it('both open it and it is migrated once, every time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparring-race-'));
    const files = Array.from({ length: 12 }, (_, i) => join(dir, `fresh-${i}.db`));
    // Each process opens the same twelve fresh files in turn, so the two race on every one of them.
    const runs = await atOnce(
      `const { openDatabase } = await import(${JSON.stringify(distModule('store/db.js'))});`,
      `for (const file of ${JSON.stringify(files)}) openDatabase(file).close();`,
    );
    expect(runs.map((r) => r.stderr)).toEqual(['', '']);
    expect(runs.map((r) => r.status)).toEqual([0, 0]);
    for (const file of files) {
      const db = new Database(file, { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().at(-1)!.version);
      db.close();
    }
  });
});
