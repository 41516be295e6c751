import { fileURLToPath } from 'node:url';
import { latestVersion, loadMigrations, pendingMigrations, type Migration } from '../migration-files.js';
import { inTransaction, one, type Pool } from './pool.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../src/store/postgres/migrations/', import.meta.url));

export const loadPostgresMigrations = (dir = MIGRATIONS_DIR): Migration[] => loadMigrations(dir);

/** Any fixed number will do, as long as nothing else in the database takes the same lock. */
const MIGRATION_LOCK = 0x5370_6172; // "Spar"

/**
 * Brings the schema up to date in one transaction, under a transaction-scoped advisory lock:
 * of several processes starting at once, one migrates and the others wait, then find nothing
 * left to do. DDL is transactional in PostgreSQL, so a failing migration leaves no trace.
 * Resolves with the schema version.
 */
export async function migratePostgres(pool: Pool, migrations = loadPostgresMigrations()): Promise<number> {
  return inTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { current } = (await one<{ current: number }>(tx, 'SELECT COALESCE(MAX(version), 0) AS current FROM schema_migrations'))!;
    for (const m of pendingMigrations(migrations, current)) {
      await tx.query(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    return latestVersion(migrations);
  });
}
