import { loadCatalog, type Catalog } from '../../src/content/load.js';
import { createBot, type BotDeps } from '../../src/core/bot.js';
import type { Clock } from '../../src/core/kernel/types.js';
import { createMemoryAdapter } from '../../src/adapters/memory/index.js';
import { createLexicalGrader } from '../../src/grading/lexical/grader.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createSqliteStores } from '../../src/store/sqlite.js';
import { renderProgressChart } from '../../src/charts/progress-chart.js';
import { createLexicalDrillMatcher } from '../../src/grading/lexical/drill-matcher.js';

let shared: Catalog | undefined;
/** The shipped content, loaded once per test file. */
export const catalog = (): Catalog => (shared ??= loadCatalog());

export type ManualClock = Clock & { advance(ms: number): void };

export function manualClock(start = Date.UTC(2026, 10, 22, 9, 0)): ManualClock {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** A whole bot over a real SQLite database (in memory unless a file is given), driven through the memory adapter. */
export function harness(opts: { db?: Db; file?: string; clock?: ManualClock } & Partial<Omit<BotDeps, 'clock'>> = {}) {
  const db = opts.db ?? openDatabase(opts.file ?? ':memory:');
  const { practice: store, drills, mocks, schedules, privacy, platform } = createSqliteStores(db);
  const clock = opts.clock ?? manualClock();
  const { db: _db, file: _file, ...overrides } = opts;
  const bot = createBot({
    catalog: catalog(),
    grader: createLexicalGrader(),
    drillMatcher: createLexicalDrillMatcher(),
    privacy,
    progressChart: (report) => ({ name: 'progress.png', png: renderProgressChart(report).png, alt: 'progress' }),
    log: () => {},
    ...overrides,
    store, drills, mocks, schedules, clock,
  });
  const room = createMemoryAdapter({ bot });
  return { db, store, drills, mocks, schedules, platform, clock, bot, room };
}

export const questionOfKind = (kind: string) => [...catalog().questions.values()].find((q) => q.kind === kind)!;
