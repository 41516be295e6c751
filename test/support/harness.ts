import { loadCatalog, type Catalog } from '../../src/content/load.js';
import { createApp, type App, type AppOverrides } from '../../src/app.js';
import { ConfigSchema } from '../../src/config.js';
import type { Clock } from '../../src/core/kernel/types.js';
import { createMemoryAdapter } from '../../src/adapters/memory/index.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createSqliteStores } from '../../src/store/sqlite.js';
import { renderProgressChart } from '../../src/charts/progress-chart.js';

let shared: Catalog | undefined;
/** The shipped content, loaded once per test file. */
export const catalog = (): Catalog => (shared ??= loadCatalog());

export type ManualClock = Clock & { advance(ms: number): void };

export function manualClock(start = Date.UTC(2026, 10, 22, 9, 0)): ManualClock {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** The defaults, whatever the environment says: offline grading, no retention. */
export const testConfig = () => ConfigSchema.parse({});

/** The app as `sparring` wires it (src/app.ts), over the shipped content, quiet, with the test's parts in place. */
export const testApp = (overrides: AppOverrides = {}): Promise<App> => createApp(testConfig(), { catalog: catalog(), log: () => {}, ...overrides });

/** A whole bot over a real SQLite database (in memory unless a file is given), driven through the memory adapter. */
export async function harness(opts: { db?: Db; file?: string; clock?: ManualClock } & Omit<AppOverrides, 'clock'> = {}) {
  const db = opts.db ?? openDatabase(opts.file ?? ':memory:');
  const { db: _db, file: _file, ...overrides } = opts;
  const stores = opts.stores ?? createSqliteStores(db);
  const { practice: store, drills, mocks, schedules, platform } = stores;
  const clock = opts.clock ?? manualClock();
  const { bot } = await testApp({
    progressChart: (report) => ({ name: 'progress.png', png: renderProgressChart(report).png, alt: 'progress' }),
    ...overrides,
    stores, clock,
  });
  const room = createMemoryAdapter({ bot });
  return { db, stores, store, drills, mocks, schedules, platform, clock, bot, room };
}

export type Harness = Awaited<ReturnType<typeof harness>>;

export const questionOfKind = (kind: string) => [...catalog().questions.values()].find((q) => q.kind === kind)!;
