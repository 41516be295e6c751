import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { loadCatalog, type Catalog } from './content/load.js';
import type { Config } from './config.js';
import { createBot, type Bot, type BotDeps } from './core/bot.js';
import type { Clock } from './core/kernel/types.js';
import { loadGraders } from './grading/graders.js';
import { createLexicalGrader } from './grading/lexical/grader.js';
import type { Grader } from './core/kernel/grading.js';
import { openStores } from './store/open.js';
import type { Stores } from './store/ports.js';
import { renderProgressChart } from './charts/progress-chart.js';
import { withFailpoint } from './failpoint.js';

export type App = {
  config: Config;
  catalog: Catalog;
  /** The storage backend; adapters get their platform state (`stores.platform`) from here. */
  stores: Stores;
  grader: Grader;
  bot: Bot;
  describe: string;
  close(): Promise<void>;
};

/**
 * What a caller (a test, the bench, `drill --speed`) may put in place of the configured parts;
 * anything not given is wired exactly as in production.
 */
export type AppOverrides = {
  catalog?: Catalog;
  stores?: Stores;
  clock?: Clock;
} & Partial<Pick<BotDeps, 'grader' | 'offlineGrader' | 'llmLimit' | 'drillMatcher' | 'progressChart' | 'log'>>;

const HOUR_MS = 60 * 60_000;

/**
 * Where this process's pid means something: the kernel boot and the pid namespace (read from
 * /proc), so two containers or two machines that share a host name never judge each other's
 * pids. Undefined where /proc cannot tell.
 */
function pidSpace(): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const ns = /\d+/.exec(readlinkSync('/proc/self/ns/pid'))?.[0];
    return boot && ns ? `${hostname()}/${boot}/${ns}` : undefined;
  } catch {
    return undefined;
  }
}

const HERE = pidSpace();

/** This process in job claims: where its pid means something, the pid, and a nonce (pids are reused). */
const workerName = () => `${HERE ?? hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * Whether a claim's process still runs, when this process can tell: one in the same pid space
 * that has exited (killed, crashed) holds nothing, so its work is taken at once rather than
 * after the lease. Any other process is left to its lease. A wrong "dead" costs at most a
 * second grading: the grade commits only under a claim still held (see the job runner).
 */
function workerAlive(worker: string): boolean | undefined {
  const [space, pid] = worker.split(':');
  if (!HERE || space !== HERE || !pid || !/^\d+$/.test(pid)) return undefined;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The composition root: the one place that picks implementations and wires them together. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const catalog = overrides.catalog ?? loadCatalog(config.SPARRING_CONTENT_DIR);
  const graders = await loadGraders(config, catalog);
  const grader = overrides.grader ?? graders.grader;
  // SPARRING_FAILPOINT is a test hook (failpoint.ts), not a user setting.
  const stores = withFailpoint(overrides.stores ?? (await openStores(config)), process.env['SPARRING_FAILPOINT']);
  // Retention runs at start and hourly for long-lived bots; unref so a CLI command still exits.
  const days = config.SPARRING_RETENTION_DAYS;
  try {
    if (days) await stores.applyRetention(days, Date.now());
  } catch (err) {
    await stores.close();
    throw err;
  }
  // The hourly run deletes in short batches, yielding between them (see privacy-plan.ts), so
  // turns are served while it works; a run still going when the next is due is not doubled,
  // and close() waits for it rather than closing the database under it.
  let retaining: Promise<void> | undefined;
  const retain = (ndays: number) => {
    retaining ??= stores.applyRetention(ndays, Date.now())
      .then(() => undefined, (err: unknown) => console.error('sparring: applying retention failed', err))
      .finally(() => (retaining = undefined));
  };
  const retention = days ? setInterval(() => retain(days), HOUR_MS).unref() : undefined;
  const bot = createBot({
    catalog,
    store: stores.practice,
    grader,
    offlineGrader: overrides.offlineGrader ?? createLexicalGrader(),
    llmLimit: overrides.llmLimit ?? { max: config.LLM_RATE_LIMIT, windowMs: config.LLM_RATE_WINDOW_MINUTES * 60_000 },
    ...(graders.interviewer ? { interviewer: graders.interviewer } : {}),
    mocks: stores.mocks,
    schedules: stores.schedules,
    progressChart: overrides.progressChart ?? ((report) => ({
      name: 'progress.png',
      png: renderProgressChart({ ...report, title: 'Your progress' }).png,
      alt: `Average score per competency: ${report.competencies.map((c) => `${c.competency} ${Math.round(c.average)}`).join(', ')}`,
    })),
    privacy: stores.privacy,
    drills: stores.drills,
    drillMatcher: overrides.drillMatcher ?? graders.drillMatcher,
    jobs: stores.jobs,
    atomically: stores.atomically,
    events: stores.platform,
    worker: workerName(),
    isAlive: workerAlive,
    leaseMs: config.SPARRING_JOB_LEASE_MS,
    ...(overrides.clock ? { clock: overrides.clock } : {}),
    ...(overrides.log ? { log: overrides.log } : {}),
  });
  return {
    config, catalog, stores, grader, bot, describe: graders.describe,
    async close() {
      clearInterval(retention);
      await retaining;
      await stores.close();
    },
  };
}
