import type { Config } from '../config.js';
import { openDatabase } from './db.js';
import type { Stores } from './ports.js';
import { openSqliteStores } from './sqlite.js';

/** The settings that choose and locate the storage backend. */
export type StoreConfig = Pick<Config, 'SPARRING_DB' | 'SPARRING_DATABASE_URL'>;

/**
 * The storage backend the configuration names: PostgreSQL when SPARRING_DATABASE_URL is set
 * (and then no SQLite file is touched), otherwise the SQLite file SPARRING_DB. pg is loaded
 * only when it is used, so the zero-setup default starts without it.
 */
export async function openStores(config: StoreConfig): Promise<Stores> {
  if (config.SPARRING_DATABASE_URL) {
    const { openPostgresStores } = await import('./postgres/index.js');
    return openPostgresStores(config.SPARRING_DATABASE_URL);
  }
  return openSqliteStores(config.SPARRING_DB);
}

/** Where the data is, for messages: the SQLite file, or the PostgreSQL URL without its password. */
export async function storeLocation(config: StoreConfig): Promise<string> {
  if (!config.SPARRING_DATABASE_URL) return config.SPARRING_DB;
  const { safeUrl } = await import('./postgres/pool.js');
  return safeUrl(config.SPARRING_DATABASE_URL);
}

export type StoreStatus = {
  backend: 'sqlite' | 'postgres';
  location: string;
  version: number;
  users: number;
  sessions: number;
  /** Answers stored but not graded yet: grading jobs a running bot will pick up. */
  waiting: number;
};

const COUNTS = `SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM sessions) AS sessions,
  (SELECT COUNT(*) FROM turns WHERE status = 'answered') AS waiting`;
type Counts = { users: number; sessions: number; waiting: number };

/**
 * Connects to the configured backend, brings its schema up to date (creating the database or
 * its tables if they are new) and says what is there. Failures are one-line UserErrors.
 */
export async function migrateStore(config: StoreConfig): Promise<StoreStatus> {
  const location = await storeLocation(config);
  if (config.SPARRING_DATABASE_URL) {
    const { connectPostgres } = await import('./postgres/index.js');
    const { pool, version } = await connectPostgres(config.SPARRING_DATABASE_URL);
    try {
      return { backend: 'postgres', location, version, ...(await pool.query<Counts>(COUNTS)).rows[0]! };
    } finally {
      await pool.end();
    }
  }
  const db = openDatabase(config.SPARRING_DB);
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    return { backend: 'sqlite', location, version, ...(db.prepare(COUNTS).get() as Counts) };
  } finally {
    db.close();
  }
}
