import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe } from 'vitest';

/**
 * The PostgreSQL tests run when SPARRING_TEST_DATABASE_URL names a server they may create
 * schemas and databases on (.ci/run starts one); without it they are skipped, and the skip
 * says why in the test's name.
 */
export const TEST_DATABASE_URL = process.env['SPARRING_TEST_DATABASE_URL'];

export function describePostgres(name: string, fn: () => void): void {
  const reason = 'skipped: set SPARRING_TEST_DATABASE_URL to a PostgreSQL server to run it (README: Running the tests against PostgreSQL)';
  // Said on stderr too, because a run's summary shows only that tests were skipped, not why.
  if (!TEST_DATABASE_URL) console.warn(`${name}: ${reason}`);
  describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? name : `${name} (${reason})`, fn);
}

const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export type Scratch = { url: string; drop(): Promise<void> };

/** A new, empty schema of the test database; its URL makes it the connection's search_path. */
export async function freshSchema(): Promise<Scratch> {
  const schema = uniqueName('sparring_test');
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(TEST_DATABASE_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => admin((c) => c.query(`DROP SCHEMA ${schema} CASCADE`)).then(() => undefined) };
}

/** A whole new database on the test server, as a first deployment would find it. */
export async function freshDatabase(): Promise<Scratch> {
  const name = uniqueName('sparring_test');
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin((c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`)).then(() => undefined) };
}

/** Fresh databases for the cases of one file, each dropped after its case. */
export function scratchDatabases(): () => Promise<Scratch> {
  let made: Scratch[] = [];
  afterEach(async () => {
    await Promise.all(made.map((s) => s.drop()));
    made = [];
  });
  return async () => {
    const scratch = await freshDatabase();
    made.push(scratch);
    return scratch;
  };
}
