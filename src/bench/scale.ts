import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createMemoryAdapter } from '../adapters/memory/index.js';
import type { Catalog } from '../content/load.js';
import { createApp } from '../app.js';
import { ConfigSchema } from '../config.js';
import type { Actor } from '../core/kernel/types.js';
import { createLexicalGrader } from '../grading/lexical/grader.js';
import { targetFor } from '../core/practice/target.js';
import { openDatabase, type Db } from '../store/db.js';
import { createSqliteStores } from '../store/sqlite.js';
import { percentile } from './stats.js';

/**
 * Does the cost of a user's request stay flat as the database grows? The same operations are
 * timed on a database seeded with few and with many stored turns; each figure is a median.
 * Users look alike at both sizes (ten sessions of ten graded turns each): a bigger database
 * has more users, not heavier ones, which is how a growing workspace grows.
 */

const DAY = 24 * 60 * 60_000;
const HOUR = 60 * 60_000;
const RETENTION_DAYS = 90;
const SESSIONS_PER_USER = 10;
const TURNS_PER_SESSION = 10;
/** Hourly retention runs timed; each finds one hour of expired sessions, as a steady-state run does. */
const RETENTION_RUNS = 15;
const EXPIRED_SESSIONS_PER_HOUR = 5;

/** The figures whose big-over-small ratio is reported (target: within 3×). */
export const SCALE_FIGURES = ['turn_p50_ms', 'progress_p50_ms', 'home_p50_ms', 'cold_start_p50_ms', 'forget_me_p50_ms', 'retention_p50_ms'] as const;

export type ScaleFigures = {
  turns: number;
  turn_p50_ms: number;
  progress_p50_ms: number;
  home_p50_ms: number;
  cold_start_p50_ms: number;
  forget_me_p50_ms: number;
  retention_p50_ms: number;
  /** One run that finds half the history expired (retention newly switched on, or lowered). */
  retention_backlog_ms: number;
  retention_backlog_records: number;
  /** The longest the event loop was held while forget-me and retention ran (batches yield between them). */
  privacy_max_block_ms: number;
};

const actorOf = (i: number): Actor => ({ platform: 'memory', workspace: 'memory', userId: `seed-${i}`, displayName: `Seed ${i}`, isBot: false });

/**
 * Fills a fresh database with about `turns` graded turns in one transaction of prepared
 * inserts (seconds for hundreds of thousands), plus, an hour apart, the expired sessions the
 * timed retention runs find. Returns the users' ids in seeding order.
 */
export function seed(db: Db, catalog: Catalog, turns: number, now: number): number[] {
  const questions = [...catalog.questions.values()];
  const users = Math.max(80, Math.round(turns / (SESSIONS_PER_USER * TURNS_PER_SESSION)));
  const grade = JSON.stringify({ score: 60, criteria: [], strengths: [], gaps: [], flags: [], grader: { kind: 'lexical', rubricVersion: '1' } });
  const answer = 'I checked precision and recall per segment, compared the drift against last season and rolled back the model.';
  const addUser = db.prepare(`INSERT INTO users (key, platform, workspace, external_id, display_name, created_at) VALUES (?, 'memory', 'memory', ?, ?, ?) RETURNING id`);
  const addSession = db.prepare(
    `INSERT INTO sessions (user_id, mode, status, platform, workspace, channel, plan, position, created_at, updated_at, ended_at)
     VALUES (?, 'practice', 'ended', 'memory', 'memory', 'room', ?, ?, ?, ?, ?) RETURNING id`);
  const addTurn = db.prepare(
    `INSERT INTO turns (session_id, question_id, kind, prompt, status, answer, grade, score, asked_at, answered_at, graded_at, grade_ms, grader_used)
     VALUES (?, ?, 'main', ?, 'graded', ?, ?, ?, ?, ?, ?, 3, 'lexical')`);
  const addSchedule = db.prepare(
    `INSERT INTO question_schedule (user_id, question_id, easiness, interval_days, repetitions, due_at, last_score, updated_at) VALUES (?, ?, 2.5, 3, 1, ?, 60, ?)`);
  const session = (userId: number, at: number, q0: number) => {
    const plan = Array.from({ length: TURNS_PER_SESSION }, (_, k) => questions[(q0 + k) % questions.length]!);
    const id = (addSession.get(userId, JSON.stringify(plan.map((q) => q.id)), plan.length, at, at, at + HOUR) as { id: number }).id;
    plan.forEach((q, k) => addTurn.run(id, q.id, q.prompt, answer, grade, 30 + ((q0 * 7 + k * 13) % 70), at + k, at + k, at + k));
  };
  const ids: number[] = [];
  db.transaction(() => {
    for (let u = 0; u < users; u++) {
      const a = actorOf(u);
      const id = (addUser.get(`memory:memory:${a.userId}`, a.userId, a.displayName, now - 60 * DAY) as { id: number }).id;
      ids.push(id);
      for (let s = 0; s < SESSIONS_PER_USER; s++) session(id, now - HOUR - ((u * 7 + s * 6) % 60) * DAY - (u % 24) * HOUR, u + s);
      for (let k = 0; k < 10; k++) addSchedule.run(id, questions[(u + k) % questions.length]!.id, now + k * DAY, now);
    }
    // Run r (at now + r hours) finds the sessions that expired in the hour before it.
    for (let r = 0; r <= RETENTION_RUNS; r++) {
      for (let k = 0; k < EXPIRED_SESSIONS_PER_HOUR; k++) session(ids[k]!, now - RETENTION_DAYS * DAY + r * HOUR - 1 - k, r + k);
    }
  })();
  return ids;
}

async function median(times: number, step: (i: number) => Promise<unknown>): Promise<number> {
  await step(-1);
  const took: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await step(i);
    took.push(performance.now() - t0);
  }
  return percentile(took.sort((a, b) => a - b), 50);
}

/** The figures for one database size, seeded in `dir`. */
export async function measureScale(catalog: Catalog, dir: string, turns: number, samples = 30): Promise<ScaleFigures> {
  const file = join(dir, `scale-${turns}.db`);
  const now = Date.now();
  const seedDb = openDatabase(file);
  const ids = seed(seedDb, catalog, turns, now);
  const stored = (seedDb.prepare(`SELECT COUNT(*) AS n FROM turns`).get() as { n: number }).n;
  seedDb.pragma('wal_checkpoint(TRUNCATE)');
  seedDb.exec('ANALYZE');
  seedDb.close();

  // Cold start: open (migrations checked), and the first query a returning user causes.
  const cold = await median(samples, async (i) => {
    const stores = createSqliteStores(openDatabase(file));
    await stores.practice.history(ids[(i + ids.length) % ids.length]!, 10);
    await stores.close();
  });

  const stores = createSqliteStores(openDatabase(file));
  const app = await createApp(ConfigSchema.parse({}), { catalog, stores, log: () => {} });
  const room = createMemoryAdapter({ bot: app.bot, record: false });
  const q = [...catalog.questions.values()][0]!;
  await createLexicalGrader().grade({ target: targetFor(q, catalog), answer: q.modelAnswer });
  // Users answered from the start of the list, forgotten from its end: no one is both.
  const answerer = (i: number) => room.user(actorOf(i + 1).userId, actorOf(i + 1).displayName);
  const answer = async (i: number): Promise<number> => {
    const user = answerer(i);
    await user.command('practice');
    const t0 = performance.now();
    await user.say(q.modelAnswer);
    const took = performance.now() - t0;
    await user.command('end');
    return took;
  };
  for (let i = 0; i < 5; i++) await answer(samples + i);
  const turnTimes: number[] = [];
  for (let i = 0; i < samples; i++) turnTimes.push(await answer(i));
  const progress = await median(samples, (i) => app.bot.progress(actorOf(i + 1)));
  const home = await median(samples, async (i) => Promise.all([app.bot.progress(actorOf(i + 1)), app.bot.progressChart(actorOf(i + 1))]));

  const block = monitorEventLoopDelay({ resolution: 1 });
  block.enable();
  const forget = await median(Math.min(samples, ids.length - samples - 10), (i) => stores.privacy.forgetUser(ids[ids.length - 2 - i]!));
  const retention = await median(RETENTION_RUNS, (r) => stores.applyRetention(RETENTION_DAYS, now + (r + 1) * HOUR));
  // The first run after retention is switched on, or lowered: half the history expires at once.
  const t0 = performance.now();
  const backlog = await stores.applyRetention(30, now);
  const backlogMs = performance.now() - t0;
  block.disable();
  await app.close();
  return {
    turns: stored,
    turn_p50_ms: percentile(turnTimes.sort((a, b) => a - b), 50),
    progress_p50_ms: progress,
    home_p50_ms: home,
    cold_start_p50_ms: cold,
    forget_me_p50_ms: forget,
    retention_p50_ms: retention,
    retention_backlog_ms: backlogMs,
    retention_backlog_records: backlog.total,
    privacy_max_block_ms: block.max / 1e6,
  };
}
