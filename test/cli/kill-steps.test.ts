import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeLlmServer, type RecordedRequest } from '../fakes/openai-server.js';
import { buttonsOf, eventBody, slackSender, startFakeSlackApi, type FakeSlackApi, type SeenMessage } from '../fakes/slack-api.js';
import { questionOfKind } from '../support/harness.js';
import { runCliAsync, startCli } from '../support/run-cli.js';
import { describePostgres, scratchDatabases } from '../store/postgres-support.js';

/**
 * kill -9 at each step of an answer's life, then a restart: the real built `sparring`, on a
 * SQLite file and (with SPARRING_TEST_DATABASE_URL) on PostgreSQL. The steps:
 *   (a) grading in flight at the model (the process is killed by the test);
 *   (b) grade, next step and outbox entry committed, replies not yet delivered (SPARRING_FAILPOINT=graded, see src/failpoint.ts);
 *   (c) replies delivered, the outbox entry not yet marked sent (SPARRING_FAILPOINT=delivered);
 *   (d) Slack only: answer committed, the 200 not yet sent (SPARRING_FAILPOINT=answered), so Slack retries the event.
 * After the restart: exactly one scorecard (at least one, at most two, only at (c) on Slack, where
 * delivery and its mark cannot be one step), the turn graded, no job left behind.
 */

type Backend = {
  name: string;
  /** Env for a fresh database, and a way to read what it holds. */
  fresh(): Promise<{ env: Record<string, string>; db: string; facts(): Promise<Facts> }>;
};
type Facts = { main: { status: string; grade_attempts: number }; jobs: string[] };

const FACTS_TURN = `SELECT status, grade_attempts FROM turns WHERE kind = 'main' ORDER BY id`;
const FACTS_JOBS = `SELECT key FROM jobs ORDER BY key`;

const sqlite: Backend = {
  name: 'sqlite',
  async fresh() {
    const db = join(mkdtempSync(join(tmpdir(), 'sparring-killsteps-')), 's.db');
    return {
      env: {},
      db,
      async facts() {
        const conn = new Database(db, { readonly: true });
        try {
          const turns = conn.prepare(FACTS_TURN).all() as Facts['main'][];
          expect(turns, 'one main turn').toHaveLength(1);
          return { main: turns[0]!, jobs: (conn.prepare(FACTS_JOBS).all() as { key: string }[]).map((r) => r.key) };
        } finally {
          conn.close();
        }
      },
    };
  },
};

const postgres = (fresh: () => Promise<{ url: string }>): Backend => ({
  name: 'postgres',
  async fresh() {
    const { url } = await fresh();
    // SPARRING_DB points at a file that must never appear: PostgreSQL holds everything.
    const db = join(mkdtempSync(join(tmpdir(), 'sparring-killsteps-')), 'unused.db');
    return {
      env: { SPARRING_DATABASE_URL: url },
      db,
      async facts() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          expect(existsSync(db), 'no SQLite file at SPARRING_DB').toBe(false);
          const turns = (await client.query(FACTS_TURN)).rows as Facts['main'][];
          expect(turns, 'one main turn').toHaveLength(1);
          return { main: turns[0]!, jobs: (await client.query(FACTS_JOBS)).rows.map((r: { key: string }) => r.key) };
        } finally {
          await client.end();
        }
      },
    };
  },
});

let llm: FakeLlmServer | undefined;
let api: FakeSlackApi | undefined;
const children: ReturnType<typeof startCli>[] = [];
afterEach(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await Promise.all(children.map((c) => c.done));
  children.length = 0;
  await llm?.stop();
  llm = undefined;
  await api?.close();
  api = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await sleep(25);
  }
}

const isGrading = (req: RecordedRequest) => Boolean(req.body?.response_format?.json_schema || req.body?.tools?.length);
const gradings = () => llm!.requests.filter(isGrading).length;
const openai = (url: string) => ({ LLM_PROVIDER: 'openai', OPENAI_BASE_URL: url, OPENAI_MODEL: 'gpt-4o-mini', OPENAI_API_KEY: 'sk-test', LLM_TIMEOUT_MS: '60000' });
const SCORE = /Score: \d+\/100/g;
const scores = (text: string) => (text.match(SCORE) ?? []).length;
const q = questionOfKind('technical');

function terminalCases(backend: Backend): void {
  describe(`the terminal on ${backend.name}`, () => {
    /** First run: answer, die at `step` (or when the test kills it); second run: the same session picked up. */
    async function killAndRestart(step: 'graded' | 'delivered' | 'grading') {
      const where = await backend.fresh();
      llm = await startFakeOpenAI(step === 'grading' ? { mode: 'slow', slowMs: 60_000 } : { mode: 'good' });
      const env = { ...openai(llm.url), ...where.env };
      const first = startCli(['practice', q.id], { db: where.db, env: { ...env, ...(step === 'grading' ? {} : { SPARRING_FAILPOINT: step }) } });
      children.push(first);
      first.child.stdin.write(`${q.modelAnswer}\n/done\n`);
      if (step === 'grading') {
        await until(() => llm!.inFlight().some(isGrading), 'a grading call in flight');
        first.child.kill('SIGKILL');
      }
      const died = await first.done;
      expect(first.child.signalCode, `killed at ${step}\n${died.stderr}`).toBe('SIGKILL');
      // Only at 'delivered' was the scorecard on the screen before the kill; the outbox entry still names it.
      expect(scores(died.stdout), 'scorecards shown before the kill').toBe(step === 'delivered' ? 1 : 0);
      const before = await where.facts();

      if (step === 'grading') llm.mode = 'good';
      const second = await runCliAsync(['practice'], { db: where.db, env });
      expect(second.status, second.stderr).toBe(0);
      return { before, second, after: await where.facts() };
    }

    it('(a) killed while the model grades: graded again after restart, one scorecard', { timeout: 60_000 }, async () => {
      const { before, second, after } = await killAndRestart('grading');
      expect(before.main.status).toBe('answered');
      expect(scores(second.stdout), second.stdout).toBe(1);
      expect(after).toEqual({ main: { status: 'graded', grade_attempts: 2 }, jobs: [] });
    });

    it('(b) killed after the grade is committed, before its replies are shown: shown once after restart, not graded again', { timeout: 60_000 }, async () => {
      const { before, second, after } = await killAndRestart('graded');
      expect(before.main.status).toBe('graded');
      expect(before.jobs.filter((k) => k.startsWith('deliver:')), 'the outbox entry').toHaveLength(1);
      expect(scores(second.stdout), second.stdout).toBe(1);
      expect(gradings(), 'one call to the model in all').toBe(1);
      expect(after).toEqual({ main: { status: 'graded', grade_attempts: 1 }, jobs: [] });
    });

    it('(c) killed with the scorecard on the screen but the outbox entry not yet marked sent: shown again after restart (at least once, never lost), graded once', { timeout: 60_000 }, async () => {
      const { before, second, after } = await killAndRestart('delivered');
      expect(before.jobs.filter((k) => k.startsWith('deliver:'))).toHaveLength(1);
      expect(scores(second.stdout), second.stdout).toBe(1);
      expect(gradings()).toBe(1);
      expect(after).toEqual({ main: { status: 'graded', grade_attempts: 1 }, jobs: [] });
    });
  });
}

// ---------- Slack (HTTP mode, the fake Web API) ----------

const TEAM = 'T0KILL';
const SECRET = 'kill-steps-signing-secret';
const USER = { user: 'U01KILL', name: 'kim', channel: 'C01KILL' };
const SCORECARD = /^\W*Score: \d+\/100/;

async function startSlack(db: string, env: Record<string, string>) {
  const run = startCli(['slack'], {
    db,
    env: { SLACK_BOT_TOKEN: 'xoxb-kill', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: api!.url, SLACK_PORT: '0', SPARRING_JOB_LEASE_MS: '3000', SPARRING_WORK_INTERVAL_MS: '200', ...env },
  });
  children.push(run);
  await until(() => /HTTP on port \d+/.test(run.errors()) || run.child.exitCode !== null, 'sparring slack listening');
  const port = /HTTP on port (\d+)/.exec(run.errors())?.[1];
  if (!port) throw new Error(`sparring slack did not start:\n${run.errors()}`);
  return { run, slack: slackSender(`http://127.0.0.1:${port}/slack/events`, SECRET) };
}

const slashCommand = (text: string): Record<string, string> => ({
  token: 'legacy', team_id: TEAM, team_domain: 'fake', channel_id: USER.channel, channel_name: 'practice', user_id: USER.user, user_name: USER.name,
  command: '/sparring', text, api_app_id: 'A0SPAR', response_url: api!.responseUrl('cmd-kill'), trigger_id: 'trig.kill',
});
const openers = (): SeenMessage[] => api!.messages().filter((m) => m.channel === USER.channel && !m.ephemeral && !m.thread && buttonsOf(m).length > 0);
const scorecards = (thread: string) =>
  api!.messages().filter((m) => SCORECARD.test(m.text) && (!m.ephemeral || m.user === USER.user) && ((m.channel === USER.channel && m.thread === thread) || m.channel === `D${USER.user.slice(1)}`)).length;

function slackCases(backend: Backend): void {
  describe(`sparring slack on ${backend.name}`, () => {
    /** Opens a session, answers it with SPARRING_FAILPOINT=step, waits for the kill, starts a second process on the same database. */
    async function killAndRestart(step: 'answered' | 'graded' | 'delivered') {
      const where = await backend.fresh();
      api = await startFakeSlackApi();
      llm = await startFakeOpenAI({ mode: 'good' });
      const env = { ...openai(llm.url), ...where.env };
      const first = await startSlack(where.db, { ...env, SPARRING_FAILPOINT: step });
      expect((await first.slack.command(slashCommand(`practice ${q.id}`))).status).toBe(200);
      await until(() => openers().length > 0, 'the question');
      const thread = openers()[0]!.ts;
      const body = eventBody(TEAM, { type: 'message', channel: USER.channel, user: USER.user, text: q.modelAnswer, ts: '1764000000.000100', team: TEAM, channel_type: 'channel', thread_ts: thread }, 'EvKILL1');
      const acked = await first.slack.post(body, 'application/json').then((r) => r.status, (err: Error) => err.message);
      const died = await first.run.done;
      expect(first.run.child.signalCode, `killed at ${step}\n${died.stderr}`).toBe('SIGKILL');
      const before = { acked, scorecards: scorecards(thread), facts: await where.facts() };

      const second = await startSlack(where.db, env);
      // Slack retries an event it got no 2xx for: the same body, signed anew, to whichever process answers now.
      const retried = step === 'answered' ? (await second.slack.post(body, 'application/json', { retryNum: 1, timestamp: Math.floor(Date.now() / 1000) + 3 })).status : undefined;
      await until(() => scorecards(thread) > 0, `the scorecard after restart\n${second.run.errors()}`);
      await sleep(1_500); // long enough for a second delivery or grading to show up
      return { before, retried, after: { scorecards: scorecards(thread), facts: await where.facts() } };
    }

    it('(d) killed after the answer is committed, before the 200: Slack\'s retry of the event is not graded again; one scorecard', { timeout: 90_000 }, async () => {
      const { before, retried, after } = await killAndRestart('answered');
      expect(before.acked, 'Slack got no 200 from the killed process').not.toBe(200);
      expect(before.facts.main.status).toBe('answered');
      expect(retried).toBe(200);
      expect(after.scorecards).toBe(1);
      expect(gradings(), 'one call to the model in all').toBe(1);
      expect(after.facts).toEqual({ main: { status: 'graded', grade_attempts: 1 }, jobs: [] });
    });

    it('(b) killed after the grade is committed, before delivery: delivered once by the restarted process, not graded again', { timeout: 90_000 }, async () => {
      const { before, after } = await killAndRestart('graded');
      expect(before.acked).toBe(200);
      expect(before.scorecards).toBe(0);
      expect(before.facts.main.status).toBe('graded');
      expect(after.scorecards).toBe(1);
      expect(gradings()).toBe(1);
      expect(after.facts).toEqual({ main: { status: 'graded', grade_attempts: 1 }, jobs: [] });
    });

    it('(c) killed after delivery, before the outbox entry is marked sent: the only step where a duplicate is allowed, at most 2 scorecards', { timeout: 90_000 }, async () => {
      const { before, after } = await killAndRestart('delivered');
      expect(before.scorecards, 'delivered before the kill').toBe(1);
      expect(before.facts.jobs.filter((k) => k.startsWith('deliver:')), 'its outbox entry still there').toHaveLength(1);
      expect(after.scorecards).toBeGreaterThanOrEqual(1);
      expect(after.scorecards).toBeLessThanOrEqual(2);
      expect(gradings()).toBe(1);
      expect(after.facts).toEqual({ main: { status: 'graded', grade_attempts: 1 }, jobs: [] });
    });
  });
}

terminalCases(sqlite);
slackCases(sqlite);
describePostgres('kill -9 at each step, on PostgreSQL', () => {
  const fresh = scratchDatabases();
  terminalCases(postgres(fresh));
  slackCases(postgres(fresh));
});
