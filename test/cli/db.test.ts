import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/store/db.js';
import { loadPostgresMigrations } from '../../src/store/postgres/migrate.js';
import { closedPort } from '../fakes/openai-server.js';
import { runCliAsync } from '../support/run-cli.js';
import { describePostgres, scratchDatabases } from '../store/postgres-support.js';

const freshFile = () => join(mkdtempSync(join(tmpdir(), 'sparring-db-cli-')), 'data', 'sparring.db');

describe('sparring db migrate on SQLite (the default)', () => {
  it('creates the file and prints the schema version, and again changes nothing', async () => {
    const db = freshFile();
    const first = await runCliAsync(['db', 'migrate'], { db });
    expect(first.stdout).toBe(`sqlite ${db}: schema version ${loadMigrations().at(-1)!.version}\n`);
    expect(first.status).toBe(0);
    expect(existsSync(db)).toBe(true);
    expect((await runCliAsync(['db', 'migrate'], { db })).stdout).toBe(first.stdout);
  });
});

describe('SPARRING_DATABASE_URL that cannot be used', () => {
  it('an unreachable server is one line naming the setting, and no SQLite file appears', async () => {
    const db = freshFile();
    const url = `postgres://sparring:hunter2@127.0.0.1:${await closedPort()}/sparring`;
    for (const command of [['db', 'migrate'], ['practice']]) {
      const run = await runCliAsync(command, { db, env: { SPARRING_DATABASE_URL: url } });
      expect(run.stderr).toMatch(/^sparring: cannot use the PostgreSQL database at postgres:\/\/sparring:\*\*\*@127\.0\.0\.1:\d+\/sparring \(SPARRING_DATABASE_URL\): connection refused/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).not.toContain('hunter2');
      expect(run.status).toBe(1);
    }
    const doctor = await runCliAsync(['doctor'], { db, env: { SPARRING_DATABASE_URL: url } });
    expect(doctor.stdout).toMatch(/^FAIL database +cannot use the PostgreSQL database at .*connection refused/m);
    expect(doctor.status).toBe(1);
    expect(existsSync(db)).toBe(false);
  });

  it('a URL that is not postgres:// is refused before anything is opened', async () => {
    const db = freshFile();
    const run = await runCliAsync(['db', 'migrate'], { db, env: { SPARRING_DATABASE_URL: 'mysql://root@localhost/sparring' } });
    expect(run.stderr).toBe('sparring: setting SPARRING_DATABASE_URL: must be a postgres://user:password@host:port/database URL\n');
    expect(run.status).toBe(1);
    expect(existsSync(db)).toBe(false);
  });
});

const freshDatabase = scratchDatabases();

describePostgres('sparring db migrate and doctor on PostgreSQL', () => {
  it('migrates the database the URL names, and doctor reports it reachable at that version', async () => {
    const scratch = await freshDatabase();
    const db = freshFile();
    const env = { SPARRING_DATABASE_URL: scratch.url };
    const version = loadPostgresMigrations().at(-1)!.version;
    const run = await runCliAsync(['db', 'migrate'], { db, env });
    expect(run.stdout).toBe(`postgres ${scratch.url}: schema version ${version}\n`);
    expect(run.status).toBe(0);
    const doctor = await runCliAsync(['doctor'], { db, env });
    expect(doctor.stdout).toContain(`ok   database  postgres ${scratch.url}: reachable, schema v${version}, 0 users, 0 sessions, 0 answers waiting to be graded`);
    expect(existsSync(db)).toBe(false);
  });
});
