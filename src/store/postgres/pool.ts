import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { UserError } from '../../core/kernel/errors.js';

/**
 * The connection pool and the few helpers every PostgreSQL store uses. BIGINT columns (ids,
 * millisecond times, COUNT(*)) come back as numbers, as the core's records expect: every value
 * the store keeps is far below 2^53.
 */
export type Pool = pg.Pool;
export type Queryable = pg.Pool | pg.PoolClient;
export type Row = pg.QueryResultRow;

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC ? Number : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** The URL with its password hidden, for messages and `doctor`. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the URL';
  }
}

export function createPool(url: string, max = 10): Pool {
  const pool = new pg.Pool({ connectionString: url, max, types, connectionTimeoutMillis: 10_000 });
  // An idle connection the server drops (restart, failover) must not crash the process; the
  // pool replaces it, and the next query reports a real failure.
  pool.on('error', (err) => console.error(`sparring: a PostgreSQL connection dropped: ${err.message}`));
  return pool;
}

/** A failure to reach or use the server as one line naming SPARRING_DATABASE_URL. */
export function connectionError(url: string, err: unknown): UserError {
  const e = err as { code?: string; message?: string };
  const why = (() => {
    switch (e.code) {
      case 'ECONNREFUSED': return 'connection refused (is the server running, on that host and port?)';
      case 'ENOTFOUND':
      case 'EAI_AGAIN': return 'unknown host';
      case 'ETIMEDOUT': return 'no answer in time';
      case '28P01':
      case '28000': return 'the server refused the user or password';
      case '3D000': return 'no such database (create it first)';
      case '42501': return 'the user may not create tables there';
      default: return (e.message ?? String(err)).split('\n')[0] || 'unknown error';
    }
  })();
  return new UserError(`cannot use the PostgreSQL database at ${safeUrl(url)} (SPARRING_DATABASE_URL): ${why}`);
}

/** `?` placeholders (as privacy-plan.ts writes them) in PostgreSQL's numbered form. */
export const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/**
 * The connection of the transaction this call runs inside (see `atomically`), so every store's
 * statements join it without being handed a client; outside one, the pool.
 */
const ambient = new AsyncLocalStorage<{ pool: Pool; client: pg.PoolClient }>();
const on = (db: Queryable): Queryable => {
  const open = ambient.getStore();
  return open && open.pool === db ? open.client : db;
};

export async function all<T extends Row>(db: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await on(db).query<T>(sql, params)).rows;
}

export async function one<T extends Row>(db: Queryable, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await on(db).query<T>(sql, params)).rows[0];
}

/** Rows changed. */
export async function run(db: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  return (await on(db).query(sql, params)).rowCount ?? 0;
}

/**
 * Runs `fn` in one transaction on one connection: committed if it resolves, rolled back if it
 * throws. Inside another transaction it joins that one, so a store method that needs a
 * transaction of its own is still atomic with the turn around it.
 */
export async function inTransaction<T>(pool: Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const outer = ambient.getStore();
  if (outer?.pool === pool) return fn(outer.client);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await ambient.run({ pool, client }, () => fn(client));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
