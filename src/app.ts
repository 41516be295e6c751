import { loadCatalog, type Catalog } from './content/load.js';
import type { Config } from './config.js';
import { createBot, type Bot } from './core/bot.js';
import type { Clock } from './core/types.js';
import type { PracticeStore } from './core/ports.js';
import type { PlatformState } from './core/platform-state.js';
import { loadGraders } from './grading/graders.js';
import { createLexicalGrader } from './grading/lexical.js';
import type { Grader } from './grading/types.js';
import { openDatabase, type Db } from './store/db.js';
import { createPracticeStore } from './store/practice-store.js';
import { createDrillStore } from './store/drill-store.js';
import { createMockStore } from './store/mock-store.js';
import { createScheduleStore } from './store/schedule-store.js';
import { applyRetention, forgetUser } from './store/privacy.js';
import { createPlatformState } from './store/platform-state.js';
import { renderProgressChart } from './charts/progress-chart.js';

export type App = {
  config: Config; catalog: Catalog; db: Db; store: PracticeStore;
  /** What adapters remember about their platform (event ids, thread owners, names); they get it from here. */
  platform: PlatformState;
  grader: Grader; bot: Bot; describe: string; close(): void;
};

/** The composition root: the one place that picks implementations and wires them together. */
export async function createApp(config: Config, overrides: { db?: Db; clock?: Clock } = {}): Promise<App> {
  const catalog = loadCatalog(config.SPARRING_CONTENT_DIR);
  const graders = await loadGraders(config, catalog);
  const db = overrides.db ?? openDatabase(config.SPARRING_DB);
  const store = createPracticeStore(db);
  // Retention runs at start and hourly for long-lived bots; unref so a CLI command still exits.
  const days = config.SPARRING_RETENTION_DAYS;
  const retention = days ? setInterval(() => applyRetention(db, days, Date.now()), 60 * 60_000).unref() : undefined;
  if (days) applyRetention(db, days, Date.now());
  const bot = createBot({
    catalog,
    store,
    grader: graders.grader,
    offlineGrader: createLexicalGrader(),
    llmLimit: { max: config.LLM_RATE_LIMIT, windowMs: config.LLM_RATE_WINDOW_MINUTES * 60_000 },
    ...(graders.interviewer ? { interviewer: graders.interviewer } : {}),
    mocks: createMockStore(db),
    schedules: createScheduleStore(db),
    progressChart: (report) => ({
      name: 'progress.png',
      png: renderProgressChart({ ...report, title: 'Your progress' }).png,
      alt: `Average score per competency: ${report.competencies.map((c) => `${c.competency} ${Math.round(c.average)}`).join(', ')}`,
    }),
    privacy: { forgetUser: async (userId) => forgetUser(db, userId) },
    drills: createDrillStore(db),
    drillMatcher: graders.drillMatcher,
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
  return { config, catalog, db, store, platform: createPlatformState(db), grader: graders.grader, bot, describe: graders.describe, close: () => {
      clearInterval(retention);
      db.close();
    } };
}
