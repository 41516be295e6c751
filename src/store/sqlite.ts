/**
 * The SQLite backend (better-sqlite3: one file, WAL). better-sqlite3 is synchronous, so every
 * method does all its work before it returns and hands back a settled promise. A turn's writes
 * that span awaits share one transaction through `atomically` (unit-of-work.ts).
 */
import { openDatabase, type Db } from './db.js';
import { createDrillStore } from './drill-store.js';
import { createMockStore } from './mock-store.js';
import { createPlatformState } from './platform-state.js';
import type { Stores } from './ports.js';
import { createPracticeStore } from './practice-store.js';
import { applyRetention, forgetUser } from './privacy.js';
import { createScheduleStore } from './schedule-store.js';
import { createJobStore } from './job-store.js';
import { sqliteUnitOfWork } from './unit-of-work.js';

/** Every store over an open database; close() closes it. */
export function createSqliteStores(db: Db): Stores {
  const { atomically, gate } = sqliteUnitOfWork(db);
  return {
    practice: gate(createPracticeStore(db)),
    drills: gate(createDrillStore(db)),
    mocks: gate(createMockStore(db)),
    schedules: gate(createScheduleStore(db)),
    privacy: gate({ forgetUser: async (userId: number) => forgetUser(db, userId) }),
    platform: gate(createPlatformState(db)),
    jobs: gate(createJobStore(db)),
    atomically,
    applyRetention: gate({ run: async (days: number, now: number) => applyRetention(db, days, now) }).run,
    async close() {
      db.close();
    },
  };
}

/** Opens (creating and migrating if needed) the SQLite file; see openDatabase for its errors. */
export function openSqliteStores(file: string): Stores {
  return createSqliteStores(openDatabase(file));
}
