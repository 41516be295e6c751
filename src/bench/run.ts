import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryAdapter } from '../adapters/memory/index.js';
import { loadCatalog, type Catalog } from '../content/load.js';
import { createApp } from '../app.js';
import { ConfigSchema } from '../config.js';
import { targetFor } from '../core/practice/target.js';
import type { Grade, Grader } from '../core/kernel/grading.js';
import { createLexicalGrader } from '../grading/lexical/grader.js';
import { findInjection } from '../grading/injection/detect.js';
import { openDatabase } from '../store/db.js';
import { createSqliteStores } from '../store/sqlite.js';
import { percentile } from './stats.js';
import { measureGradedAnswers, measureGradedAnswersPostgres } from './graded-answers.js';
import { measureScale, SCALE_FIGURES, type ScaleFigures } from './scale.js';
import { measureSlack } from './slack.js';

/** The fixed figures, and those of the optional parts (Slack, PostgreSQL, --scale): every value a number. */
export type BenchResult = BaseResult & Record<string, number>;

type BaseResult = {
  turn_p50_ms: number;
  turn_p99_ms: number;
  grades_per_second: number;
  rss_mb_1000_sessions: number;
  cold_start_ms: number;
  /** The injection guard over a 20,000-character answer (mean of ten, after warm-up). */
  injection_check_20k_ms: number;
  /** The slowest of the adversarial inputs that would make a backtracking pattern explode. */
  injection_adversarial_max_ms: number;
};

export const BENCH_TARGETS = {
  turn_p99_ms: { max: 2 },
  grades_per_second: { min: 500 },
  rss_mb_1000_sessions: { max: 200 },
  cold_start_ms: { max: 500 },
  injection_check_20k_ms: { max: 40 },
  injection_adversarial_max_ms: { max: 250 },
  slack_vs_bolt_ratio: { min: 0.4 },
  ...Object.fromEntries(SCALE_FIGURES.map((f) => [`scale_${f}_ratio`, { max: 3 }])),
} as Record<string, { max?: number; min?: number }>;

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export { percentile } from './stats.js';

/** Answers of every quality: model answers, halves of them, and a short one. */
function sampleAnswers(catalog: Catalog): { questionId: string; answer: string }[] {
  return [...catalog.questions.values()].flatMap((q) => {
    const words = q.modelAnswer.split(/\s+/);
    return [
      { questionId: q.id, answer: q.modelAnswer },
      { questionId: q.id, answer: words.slice(0, Math.ceil(words.length / 2)).join(' ') },
      { questionId: q.id, answer: `I would look at the data first and then ${words.slice(-12).join(' ')}` },
    ];
  });
}

/** A grader that answers instantly with a grade computed beforehand, so turn latency excludes grading. */
function instantGrader(grade: Grade): Grader {
  return { kind: 'lexical', grade: async () => grade };
}

async function measureColdStart(dir: string): Promise<number> {
  const started = performance.now();
  const catalog = loadCatalog();
  const db = openDatabase(join(dir, 'cold.db'));
  const elapsed = performance.now() - started;
  db.close();
  void catalog;
  return elapsed;
}

async function measureGrading(catalog: Catalog, seconds: number): Promise<number> {
  const grader = createLexicalGrader();
  const work = sampleAnswers(catalog).map((s) => ({ target: targetFor(catalog.questions.get(s.questionId)!, catalog), answer: s.answer }));
  // One pass first: the steady state of a running bot (compiled code, per-question values prepared).
  for (const req of work) await grader.grade(req);
  let graded = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    for (const req of work) await grader.grade(req);
    graded += work.length;
  }
  return graded / ((performance.now() - started) / 1000);
}

/** Inputs built to make a regular expression backtrack: repeated prefixes of what the guard looks for. */
const ADVERSARIAL = ['a '.repeat(10_000), 'A'.repeat(20_000), '{'.repeat(20_000), 'ignore the '.repeat(1_800), '<|'.repeat(10_000), 'i g n o r e '.repeat(1_600), '1gn0r3 '.repeat(2_800)];

function measureInjectionGuard(catalog: Catalog): { long: number; adversarial: number } {
  const prose = [...catalog.questions.values()].map((q) => q.modelAnswer).join('\n\n');
  const answer = prose.repeat(Math.ceil(20_000 / prose.length)).slice(0, 20_000);
  for (let i = 0; i < 5; i++) findInjection(answer);
  const started = performance.now();
  for (let i = 0; i < 10; i++) findInjection(answer);
  const long = (performance.now() - started) / 10;
  const adversarial = Math.max(...ADVERSARIAL.map((input) => {
    const t = performance.now();
    findInjection(input);
    return performance.now() - t;
  }));
  return { long, adversarial };
}

async function measureTurns(catalog: Catalog, dir: string, turns: number): Promise<number[]> {
  const db = openDatabase(join(dir, 'turns.db'));
  const q = [...catalog.questions.values()][0]!;
  const grade = await createLexicalGrader().grade({ target: targetFor(q, catalog), answer: q.modelAnswer });
  const { bot } = await createApp(ConfigSchema.parse({}), { catalog, stores: createSqliteStores(db), grader: instantGrader(grade), log: () => {} });
  const room = createMemoryAdapter({ bot });
  const timings: number[] = [];
  const timed = async (step: () => Promise<unknown>) => {
    const t0 = performance.now();
    await step();
    timings.push(performance.now() - t0);
  };
  for (let i = 0; timings.length < turns; i++) {
    const user = room.user(`bench-${i}`);
    await timed(() => user.command('practice', '5'));
    await timed(() => user.command('hint'));
    await timed(() => user.say(q.modelAnswer));
    await timed(() => user.say('A follow-up answer with some detail about precision and monitoring.'));
    await timed(() => user.command('skip'));
    await timed(() => user.command('end'));
    room.transcript.length = 0;
    room.delivered.length = 0;
  }
  db.close();
  return timings.sort((a, b) => a - b);
}

export async function measureSessions(catalog: Catalog, dir: string, sessions: number): Promise<number> {
  const db = openDatabase(join(dir, 'sessions.db'));
  const { bot } = await createApp(ConfigSchema.parse({}), { catalog, stores: createSqliteStores(db), log: () => {} });
  const room = createMemoryAdapter({ bot, record: false });
  const users = Array.from({ length: sessions }, (_, i) => room.user(`user-${i}`));
  let peak = process.memoryUsage().rss;
  const sample = () => void (peak = Math.max(peak, process.memoryUsage().rss));
  const timer = setInterval(sample, 10);
  // Every session open at once, each answering its first question while the others wait.
  await Promise.all(users.map((u) => u.command('practice')));
  sample();
  await Promise.all(users.map((u) => u.say('I would check precision and recall on the minority class, look for drift, and talk to the team.')));
  sample();
  clearInterval(timer);
  db.close();
  return peak / (1024 * 1024);
}

function measureSessionsInChild(dir: string, sessions: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./sessions-child.js', import.meta.url)), [dir, String(sessions)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`the sessions measurement exited with ${code}`))));
  });
}

export type BenchOptions = {
  turns?: number;
  sessions?: number;
  gradeSeconds?: number;
  /** Seed databases of these many stored turns (e.g. 10k and 300k) and time the same operations on each. */
  scale?: [number, number];
  /** A PostgreSQL server to measure graded answers per second on too. */
  databaseUrl?: string;
};

const label = (n: number) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

/** Both sizes' figures, and for each the big size's over the small one's: flat cost is a ratio near 1. */
async function scaleFields(catalog: Catalog, dir: string, [small, big]: [number, number]): Promise<Record<string, number>> {
  const sizes: [number, ScaleFigures][] = [];
  for (const n of [small, big]) sizes.push([n, await measureScale(catalog, dir, n)]);
  const out: Record<string, number> = {};
  for (const [n, figures] of sizes) {
    for (const [key, value] of Object.entries(figures)) out[`scale_${label(n)}_${key}`] = round(value, 2);
  }
  for (const f of SCALE_FIGURES) out[`scale_${f}_ratio`] = round(sizes[1]![1][f] / sizes[0]![1][f], 2);
  return out;
}

export async function runBench(opts: BenchOptions = {}): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-bench-'));
  try {
    const cold = await measureColdStart(dir);
    const catalog = loadCatalog();
    // Memory is a process's own: a fresh one serves the sessions, so nothing measured here inflates it.
    const rss = await measureSessionsInChild(dir, opts.sessions ?? 1000);
    const turns = await measureTurns(catalog, dir, opts.turns ?? 3000);
    const gradesPerSecond = await measureGrading(catalog, opts.gradeSeconds ?? 3);
    const guard = measureInjectionGuard(catalog);
    const answers = sampleAnswers(catalog).map((s) => s.answer);
    const slack = await measureSlack(catalog, dir, answers);
    const sqliteAnswers = await measureGradedAnswers(catalog, createSqliteStores(openDatabase(join(dir, 'answers.db'))), answers);
    const pgAnswers = opts.databaseUrl ? await measureGradedAnswersPostgres(catalog, opts.databaseUrl, answers) : undefined;
    const scale = opts.scale ? await scaleFields(catalog, dir, opts.scale) : {};
    return {
      turn_p50_ms: round(percentile(turns, 50), 3),
      turn_p99_ms: round(percentile(turns, 99), 3),
      grades_per_second: Math.round(gradesPerSecond),
      rss_mb_1000_sessions: round(rss, 1),
      cold_start_ms: round(cold, 1),
      injection_check_20k_ms: round(guard.long, 2),
      injection_adversarial_max_ms: round(guard.adversarial, 1),
      ...slack,
      graded_answers_per_s_sqlite: Math.round(sqliteAnswers),
      ...(pgAnswers !== undefined ? { graded_answers_per_s_postgres: Math.round(pgAnswers) } : {}),
      ...scale,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
