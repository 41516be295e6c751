/**
 * The PostgreSQL backend (node-postgres, a pool of connections). Unlike SQLite, several
 * processes may share one database: what must happen once (a timer firing, an event id, a
 * schedule update) is settled by the database, in one statement or one transaction, never by
 * a check in this process followed by a write.
 */
import { isUserError } from '../../core/kernel/errors.js';
import type { Stores } from '../ports.js';
import { createDrillStore } from './drill-store.js';
import { migratePostgres } from './migrate.js';
import { createMockStore } from './mock-store.js';
import { createPlatformState } from './platform-state.js';
import { connectionError, createPool, type Pool } from './pool.js';
import { createPracticeStore } from './practice-store.js';
import { applyRetention, forgetUser } from './privacy.js';
import { createScheduleStore } from './schedule-store.js';
import { createJobStore } from './job-store.js';
import { inTransaction } from './pool.js';

/** Every store over a pool whose schema is up to date; close() ends the pool. */
export function createPostgresStores(pool: Pool): Stores {
  return {
    practice: createPracticeStore(pool),
    drills: createDrillStore(pool),
    mocks: createMockStore(pool),
    schedules: createScheduleStore(pool),
    privacy: { forgetUser: async (userId) => forgetUser(pool, userId) },
    platform: createPlatformState(pool),
    jobs: createJobStore(pool),
    atomically: (work) => inTransaction(pool, () => work()),
    applyRetention: async (days, now) => applyRetention(pool, days, now),
    async close() {
      await pool.end();
    },
  };
}

/**
 * Connects to SPARRING_DATABASE_URL and migrates, with the pool and the schema version;
 * a server that cannot be reached or used is one UserError naming the setting.
 */
export async function connectPostgres(url: string): Promise<{ pool: Pool; version: number }> {
  let pool: Pool | undefined;
  try {
    pool = createPool(url);
    return { pool, version: await migratePostgres(pool) };
  } catch (err) {
    await pool?.end().catch(() => undefined);
    if (isUserError(err)) throw err;
    throw connectionError(url, err);
  }
}

export async function openPostgresStores(url: string): Promise<Stores> {
  return createPostgresStores((await connectPostgres(url)).pool);
}

