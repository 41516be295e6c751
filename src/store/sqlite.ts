/**
 * The SQLite backend (better-sqlite3: one file, WAL). better-sqlite3 is synchronous, so every
 * method does all its work before it returns and hands back a settled promise: a transaction
 * never spans an await, and what was one transaction stays one.
 */
import { openDatabase, type Db } from './db.js';
import { createDrillStore } from './drill-store.js';
import { createMockStore } from './mock-store.js';
import { createPlatformState } from './platform-state.js';
import type { Stores } from './ports.js';
import { createPracticeStore } from './practice-store.js';
import { applyRetention, forgetUser } from './privacy.js';
import { createScheduleStore } from './schedule-store.js';

/** Every store over an open database; close() closes it. */
export function createSqliteStores(db: Db): Stores {
  return {
    practice: createPracticeStore(db),
    drills: createDrillStore(db),
    mocks: createMockStore(db),
    schedules: createScheduleStore(db),
    privacy: { forgetUser: async (userId) => forgetUser(db, userId) },
    platform: createPlatformState(db),
    applyRetention: async (days, now) => applyRetention(db, days, now),
    async close() {
      db.close();
    },
  };
}

/** Opens (creating and migrating if needed) the SQLite file; see openDatabase for its errors. */
export function openSqliteStores(file: string): Stores {
  return createSqliteStores(openDatabase(file));
}
