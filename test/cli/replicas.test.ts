import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { answerIn, promptText, startFakeOpenAI, type FakeLlmServer, type RecordedRequest } from '../fakes/openai-server.js';
import { buttonsOf, eventBody, slackSender, startFakeSlackApi, type FakeSlackApi, type SeenMessage, type SlackSender } from '../fakes/slack-api.js';
import { questionOfKind } from '../support/harness.js';
import { startCli } from '../support/run-cli.js';
import { describePostgres, scratchDatabases } from '../store/postgres-support.js';

/**
 * Several `sparring slack` processes (HTTP mode) on one PostgreSQL database, as README
 * "Running several replicas" deploys them: Slack's requests land on any of them (a load
 * balancer), its retries on another one, and a replica may die mid-grading. Everything the
 * processes talk to is in this test process: one fake Slack Web API for all of them and one
 * fake OpenAI-compatible server that grades slowly, so a grading is still in flight when a
 * replica is killed. What is checked is what people see in Slack: one scorecard and one
 * follow-up per answer, none lost, none twice.
 */

const freshDatabase = scratchDatabases();

const TEAM = 'T0REPL';
const SECRET = 'replicas-signing-secret';
/** Short leases, so a job left by a dead replica is taken over within seconds. */
const LEASE_MS = 3_000;
const WORK_INTERVAL_MS = 200;
/** How long the fake model takes for each call: grading is in flight long enough to kill a replica under it. */
const LLM_MS = 2_500;
/** How long every user may wait for their scorecard after the kill. */
const DELIVERY_BOUND_MS = 60_000;

const SCORECARD = /^\W*Score: \d+\/100/;
const FOLLOW_UP = /^\W*Follow-up:/;

type Replica = {
  name: string;
  port: number;
  slack: SlackSender;
  child: ReturnType<typeof startCli>['child'];
  exited: Promise<unknown>;
  log: () => string;
};

let replicas: Replica[] = [];
let api: FakeSlackApi | undefined;
let llm: FakeLlmServer | undefined;

afterEach(async () => {
  for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  await Promise.all(replicas.map((r) => r.exited));
  replicas = [];
  await api?.close();
  api = undefined;
  await llm?.stop();
  llm = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds or `ms` pass; says which. */
async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(25);
  }
  return true;
}

/** One `sparring slack` in HTTP mode on a port of its own (SLACK_PORT=0), ready once it says where it listens. */
async function startReplica(name: string, env: Record<string, string>, db: string): Promise<Replica> {
  const run = startCli(['slack'], {
    db,
    env: { SLACK_BOT_TOKEN: 'xoxb-replicas', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: api!.url, SLACK_PORT: '0', ...env },
  });
  const exited = new Promise((resolve) => run.child.on('exit', resolve));
  const replica: Replica = { name, port: 0, slack: undefined as unknown as SlackSender, child: run.child, exited, log: run.errors };
  replicas.push(replica);
  const ready = await waitFor(() => /HTTP on port \d+/.test(run.errors()) || run.child.exitCode !== null, 30_000);
  const port = /HTTP on port (\d+)/.exec(run.errors())?.[1];
  if (!ready || !port) throw new Error(`replica ${name} did not start:\n${run.errors()}`);
  replica.port = Number(port);
  replica.slack = slackSender(`http://127.0.0.1:${port}/slack/events`, SECRET);
  return replica;
}

const logs = () => replicas.map((r) => `--- ${r.name} (port ${r.port}) ---\n${r.log().slice(-3_000)}`).join('\n');

type User = { user: string; name: string; channel: string; i: number };
const userAt = (i: number): User => {
  const n = String(i + 1).padStart(2, '0');
  return { i, user: `U${n}REPL`, name: `user${n}`, channel: `C${n}PRACTICE` };
};

/** `/sparring <text>` typed by `u` in their channel: the form fields Slack posts. */
const slashCommand = (u: User, text: string): Record<string, string> => ({
  token: 'legacy', team_id: TEAM, team_domain: 'fake', channel_id: u.channel, channel_name: 'practice',
  user_id: u.user, user_name: u.name, command: '/sparring', text, api_app_id: 'A0SPAR',
  response_url: api!.responseUrl(`cmd-${u.user}`), trigger_id: `trig.${u.user}`,
});

/** The question that opened u's session: the top-level message with buttons in their channel. */
const openers = (u: User): SeenMessage[] => api!.messages().filter((m) => m.channel === u.channel && !m.ephemeral && !m.thread && buttonsOf(m).length > 0);

/** Everything u can see of their session: the thread in their channel (their own ephemeral messages included) and their DM with the app. */
const seenInSession = (u: User, thread: string): SeenMessage[] =>
  api!.messages().filter((m) => (!m.ephemeral || m.user === u.user) && ((m.channel === u.channel && m.thread === thread) || m.channel === `D${u.user.slice(1)}`));

const count = (messages: SeenMessage[], pattern: RegExp) => messages.filter((m) => pattern.test(m.text)).length;

/** u's answer, as a message in their session's thread; each user's differs, so the fake model can tell whose it grades. */
const answerEvent = (u: User, thread: string, text: string): Record<string, unknown> => ({
  type: 'message', channel: u.channel, user: u.user, text, ts: `${1_764_000_000 + u.i}.000100`, team: TEAM,
  channel_type: 'channel', thread_ts: thread,
});

const keyOf = (req: RecordedRequest) => String(req.headers.authorization ?? '').replace(/^Bearer /, '');
/** A grading call asks for structure (a JSON schema or a forced tool call); probes and hints do not. */
const isGrading = (req: RecordedRequest) => Boolean(req.body?.response_format?.json_schema || req.body?.tools?.length);

describePostgres('several sparring slack replicas on one PostgreSQL database', () => {
  it('twelve users over three replicas, Slack retries to another replica, one replica killed mid-grading: one scorecard and one follow-up each', { timeout: 180_000 }, async () => {
    const scratch = await freshDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'sparring-replicas-'));
    const sqlite = join(dataDir, 'sparring.db');
    api = await startFakeSlackApi();
    llm = await startFakeOpenAI({ mode: 'slow', slowMs: LLM_MS });
    const q = questionOfKind('technical');

    const env = (name: string) => ({
      SPARRING_DATABASE_URL: scratch.url,
      SPARRING_JOB_LEASE_MS: String(LEASE_MS),
      SPARRING_WORK_INTERVAL_MS: String(WORK_INTERVAL_MS),
      LLM_PROVIDER: 'openai', OPENAI_BASE_URL: llm!.url, OPENAI_MODEL: 'gpt-4o-mini', LLM_TIMEOUT_MS: '20000',
      // One key per replica: the fake model tells by it which process a call came from.
      OPENAI_API_KEY: `sk-${name}`,
    });
    // All three start at once on the empty database, as a deployment's first start does.
    const [r1, r2, r3] = await Promise.all(['r1', 'r2', 'r3'].map((name) => startReplica(name, env(name), sqlite)));
    const pool = [r1!, r2!, r3!];
    const replicaOf = (req: RecordedRequest) => pool.find((r) => keyOf(req) === `sk-${r.name}`);

    // Twelve users each open a session, their commands round-robin over the replicas.
    const users = Array.from({ length: 12 }, (_, i) => userAt(i));
    const commands = await Promise.all(users.map((u) => pool[u.i % 3]!.slack.command(slashCommand(u, `practice ${q.id}`))));
    expect(commands.map((r) => r.status)).toEqual(users.map(() => 200));
    const opened = await waitFor(() => users.every((u) => openers(u).length > 0), 30_000);
    expect(opened, `every user got their question\n${logs()}`).toBe(true);
    await sleep(500);
    expect(users.map((u) => openers(u).length)).toEqual(users.map(() => 1));
    const threads = new Map(users.map((u) => [u.user, openers(u)[0]!.ts]));

    // Each answers in their thread, round-robin again. Four of them also get Slack's retry of that
    // event (same event_id and body, signed anew, x-slack-retry-num: 1) at the next replica: for
    // user02 and user06 it races the original, for user05 and user09 it comes after the original was
    // answered; the retries land on two different replicas.
    const answerOf = (u: User) => `${q.modelAnswer} I am ${u.name}.`;
    const retried = users.filter((u) => [1, 4, 5, 8].includes(u.i));
    const sends = users.map(async (u) => {
      const body = eventBody(TEAM, answerEvent(u, threads.get(u.user)!, answerOf(u)), `EvANSWER${u.i}`);
      const original = () => pool[u.i % 3]!.slack.post(body, 'application/json');
      const retry = () => pool[(u.i + 1) % 3]!.slack.post(body, 'application/json', { retryNum: 1, timestamp: Math.floor(Date.now() / 1000) + 3 });
      if (!retried.includes(u)) return [await original()];
      if (u.i % 2 === 1) return Promise.all([original(), retry()]);
      return [await original(), await retry()];
    });
    const responses = (await Promise.all(sends)).flat();
    // Slack stops retrying only on a 2xx; a retry of an event already taken is acknowledged too.
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));

    // Kill -9 a replica while a grading call it made is still waiting on the model.
    const inFlight = await waitFor(() => llm!.inFlight().some((req) => isGrading(req) && replicaOf(req)), 30_000);
    expect(inFlight, `a grading call was in flight at the model\n${logs()}`).toBe(true);
    const victim = replicaOf(llm!.inFlight().find((req) => isGrading(req) && replicaOf(req))!)!;
    const dying = llm!.inFlight().filter((req) => isGrading(req) && replicaOf(req) === victim).map((req) => answerIn(promptText(req.body)));
    victim.child.kill('SIGKILL');
    await victim.exited;
    const interrupted = users.filter((u) => dying.some((answer) => answer.includes(`I am ${u.name}.`)));
    expect(interrupted.length, 'the answers being graded by the killed replica').toBeGreaterThan(0);
    const survivors = pool.filter((r) => r !== victim);

    // Every user's scorecard and follow-up arrive within the bound; then a little longer, so a
    // duplicate (a retry graded twice, a job run by two replicas) would show up too.
    const delivered = () => users.every((u) => {
      const seen = seenInSession(u, threads.get(u.user)!);
      return count(seen, SCORECARD) > 0 && count(seen, FOLLOW_UP) > 0;
    });
    await waitFor(delivered, DELIVERY_BOUND_MS);
    await sleep(2 * LEASE_MS + 1_000);

    const tally = (list: User[]) => Object.fromEntries(list.map((u) => {
      const seen = seenInSession(u, threads.get(u.user)!);
      return [u.name, { scorecards: count(seen, SCORECARD), followUps: count(seen, FOLLOW_UP) }];
    }));
    const once = (list: User[]) => Object.fromEntries(list.map((u) => [u.name, { scorecards: 1, followUps: 1 }]));
    // The answers that were being graded when their replica died are taken over by a live one (job leases).
    expect.soft(tally(interrupted), `killed ${victim.name} while it graded ${interrupted.map((u) => u.name).join(', ')}\n${logs()}`).toEqual(once(interrupted));
    // Nobody's answer is lost, and nobody's is graded or followed up twice (retries included).
    expect.soft(tally(users), `every user, exactly once (retried: ${retried.map((u) => u.name).join(', ')})`).toEqual(once(users));
    // The scorecard is the candidate's alone: ephemeral in the thread (or their DM), never public in the channel.
    for (const u of users) {
      const cards = seenInSession(u, threads.get(u.user)!).filter((m) => SCORECARD.test(m.text));
      expect.soft(cards.every((m) => m.ephemeral || m.channel.startsWith('D')), `${u.name}'s scorecard is private`).toBe(true);
    }
    // The live replicas are still serving; PostgreSQL held everything.
    expect.soft(survivors.map((r) => r.child.exitCode)).toEqual([null, null]);
    expect.soft(existsSync(sqlite), 'no SQLite file at SPARRING_DB').toBe(false);
    expect.soft(readdirSync(dataDir)).toEqual([]);

    for (const r of survivors) r.child.kill('SIGTERM');
    await Promise.all(survivors.map((r) => r.exited));
  });

  it('the same slash command or the same event delivered to two replicas is handled once', { timeout: 90_000 }, async () => {
    const scratch = await freshDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'sparring-replicas-'));
    const sqlite = join(dataDir, 'sparring.db');
    api = await startFakeSlackApi();
    const q = questionOfKind('technical');
    const env = { SPARRING_DATABASE_URL: scratch.url, SPARRING_JOB_LEASE_MS: String(LEASE_MS), SPARRING_WORK_INTERVAL_MS: String(WORK_INTERVAL_MS), LLM_PROVIDER: 'offline' };
    const [a, b] = await Promise.all([startReplica('a', env, sqlite), startReplica('b', env, sqlite)]);
    const ana = userAt(0);

    // One signed /sparring practice (one trigger_id, the very same bytes and signature) reaching both replicas at once.
    const command = new URLSearchParams(slashCommand(ana, `practice ${q.id}`)).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const commandSent = await Promise.all([a!, b!].map((r) => r.slack.post(command, 'application/x-www-form-urlencoded', { timestamp })));
    expect(commandSent.some((r) => r.status === 200)).toBe(true);
    expect(await waitFor(() => openers(ana).length > 0, 20_000), `the question arrived\n${logs()}`).toBe(true);
    await sleep(1_500);
    expect(openers(ana), 'one question, one session').toHaveLength(1);
    const thread = openers(ana)[0]!.ts;

    // Her answer reaching both at once: the event, and Slack's retry of it (same event_id, signed anew).
    const body = eventBody(TEAM, answerEvent(ana, thread, q.modelAnswer), 'EvTWICE');
    const answered = await Promise.all([
      a!.slack.post(body, 'application/json'),
      b!.slack.post(body, 'application/json', { retryNum: 1, timestamp: Math.floor(Date.now() / 1000) + 3 }),
    ]);
    expect(answered.map((r) => r.status)).toEqual([200, 200]);
    const seen = () => seenInSession(ana, thread);
    expect(await waitFor(() => count(seen(), SCORECARD) > 0 && count(seen(), FOLLOW_UP) > 0, 20_000), `the scorecard arrived\n${logs()}`).toBe(true);
    await sleep(2 * LEASE_MS + 1_000);
    expect({ scorecards: count(seen(), SCORECARD), followUps: count(seen(), FOLLOW_UP) }).toEqual({ scorecards: 1, followUps: 1 });
    expect(existsSync(sqlite), 'no SQLite file at SPARRING_DB').toBe(false);

    for (const r of [a!, b!]) r.child.kill('SIGTERM');
    await Promise.all([a!.exited, b!.exited]);
  });
});
