import type { DrillStore } from '../core/drill/ports.js';
import type { Privacy } from '../core/privacy/ports.js';
import type { MockStore } from '../core/mock/ports.js';
import type { PlatformState } from '../core/kernel/platform-state.js';
import type { PracticeStore } from '../core/practice/ports.js';
import type { ScheduleStore } from '../core/practice/schedule-ports.js';
import type { Jobs, UnitOfWork } from '../core/kernel/jobs.js';

/**
 * One storage backend: every port the core and the adapters use, over one database. The
 * composition root opens one (src/store/open.ts picks which) and hands its parts out; a new
 * backend implements this type and passes test/store/contract.ts, and nothing in src/core changes.
 */
export type Stores = {
  practice: PracticeStore;
  drills: DrillStore;
  mocks: MockStore;
  schedules: ScheduleStore;
  privacy: Privacy;
  platform: PlatformState;
  /** Durable work (gradings, the outbox), held under leases so several processes can share it. */
  jobs: Jobs;
  /** One transaction over every store above. */
  atomically: UnitOfWork;
  /**
   * Deletes practice sessions created more than `days` days before `now` and drills that ended
   * that long ago (SPARRING_RETENTION_DAYS); schedules and users stay. Resolves with how many
   * records went.
   */
  applyRetention(days: number, now: number): Promise<{ total: number }>;
  /** Closes the database once its writes are safe; nothing here may be used afterwards. */
  close(): Promise<void>;
};
