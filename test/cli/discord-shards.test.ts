import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_ID, GUILD_ID, guildIdOnShard, shardOfGuild, startFakeDiscord, type FakeDiscord, type FakeUser } from '../fakes/discord/index.js';
import { answerIn, promptText, startFakeOpenAI, type FakeLlmServer, type RecordedRequest } from '../fakes/openai-server.js';
import { questionOfKind } from '../support/harness.js';
import { startCli } from '../support/run-cli.js';
import { describePostgres, scratchDatabases } from '../store/postgres-support.js';

let fake: FakeDiscord | undefined;
let llm: FakeLlmServer | undefined;
let runs: ReturnType<typeof startCli>[] = [];
afterEach(async () => {
  // SIGTERM stops the command and, through it, every shard it runs.
  for (const run of runs) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
  await Promise.all(runs.map((r) => r.done));
  runs = [];
  await fake?.close();
  fake = undefined;
  await llm?.stop();
  llm = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (check: () => boolean, what: () => string, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting; output so far:\n${what()}`);
    await sleep(25);
  }
};

describe('sparring discord --shards', () => {
  it('asks the API how many shards, runs each in its own process from the CLI entry point, and stops them all', async () => {
    fake = await startFakeDiscord();
    const db = join(mkdtempSync(join(tmpdir(), 'sparring-shards-')), 's.db');
    const run = startCli(['discord', '--shards', 'auto'], { db, env: { LLM_PROVIDER: 'offline', DISCORD_TOKEN: 'test-token', DISCORD_API_URL: fake.apiUrl } });
    await until(() => /Discord bot ready/.test(run.errors()), run.errors);
    expect(run.errors()).toContain('sparring: started Discord shard 1 of 1');
    expect(run.errors()).toMatch(/Discord bot ready as .* \(shard 0 of 1, pid \d+\)/);
    run.child.kill('SIGTERM');
    const done = await run.done;
    expect(done.status).toBe(0);
    expect(done.stderr).not.toMatch(/shard failed/);
  });
});

// ---------- two servers on two shards ----------

const ANA: FakeUser = { id: '1200000000000000601', username: 'ana', global_name: 'Ana' };
const BOB: FakeUser = { id: '1200000000000000602', username: 'bob', global_name: 'Bob' };
const CAROL: FakeUser = { id: '1200000000000000603', username: 'carol', global_name: 'Carol' };

const SCORECARD = /Score: \d+\/100/;
const FOLLOW_UP = /Follow-up:/;
const LEASE_MS = 3_000;
const LLM_MS = 3_000;

type Where = { user: FakeUser; room: string };

/** `sparring discord --shards auto` on a fake Discord that recommends two shards: server A on shard 0, server B (GUILD_ID) on shard 1. */
async function startSharded(env: Record<string, string>, db: string) {
  fake = await startFakeDiscord({ shards: 2 });
  const guildA = guildIdOnShard(0, 2);
  const channelA = fake.addGuild(guildA);
  expect([shardOfGuild(guildA, 2), shardOfGuild(GUILD_ID, 2)]).toEqual([0, 1]);
  const run = startCli(['discord', '--shards', 'auto'], {
    db,
    env: { DISCORD_TOKEN: 'test-token', DISCORD_API_URL: fake.apiUrl, SPARRING_JOB_LEASE_MS: String(LEASE_MS), SPARRING_WORK_INTERVAL_MS: '200', ...env },
  });
  runs.push(run);
  await until(() => readyPids(run.errors()).length === 2, run.errors, 60_000);
  return { run, channelA, channelB: CHANNEL_ID };
}

/** The pids of the shards that said they are ready, in order: [shard, pid]. */
const readyPids = (log: string): [number, number][] =>
  [...log.matchAll(/Discord bot ready as .* \(shard (\d+) of 2, pid (\d+)\)/g)].map((m) => [Number(m[1]), Number(m[2])]);

/** What the bot posted in a channel or thread. */
const postsIn = (room: string) => fake!.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${room}/messages`).map((r) => String(r.body?.content ?? ''));
const count = (room: string, pattern: RegExp) => postsIn(room).filter((c) => pattern.test(c)).length;

/** `/practice question:<id>` by `user` in `channel`; resolves to the room the session lives in (its thread, or the DM). */
async function practice(user: FakeUser, channel: string, questionId: string, log: () => string): Promise<string> {
  const { token } = fake!.slash(user, channel, 'practice', [{ name: 'question', type: 3, value: questionId }]);
  const dm = !fake!.channels.get(channel)?.guild_id;
  const edited = () => fake!.requests.find((r) => r.method === 'PATCH' && r.path.includes(token) && (dm || /session is in <#\d+>/.test(r.body?.content ?? '')));
  await until(() => Boolean(edited()), log);
  const room = dm ? channel : /session is in <#(\d+)>/.exec(edited()!.body.content)![1]!;
  if (!dm) await until(() => postsIn(room).length > 0, log);
  return room;
}

const isGrading = (req: RecordedRequest) => Boolean(req.body?.response_format?.json_schema || req.body?.tools?.length);
const answerOf = (u: FakeUser) => `${questionOfKind('technical').modelAnswer} I am ${u.username}.`;
const gradingCalls = (u: FakeUser, list = llm!.requests) => list.filter((r) => isGrading(r) && answerIn(promptText(r.body)).includes(`I am ${u.username}.`)).length;

/** The main turns answered by `u` (by the answer's signature), with their status, as the database holds them. */
async function turnsOf(u: FakeUser, db: { sqlite: string } | { url: string }): Promise<string[]> {
  const sql = `SELECT status FROM turns WHERE kind = 'main' AND answer LIKE '%I am ${u.username}.%'`;
  if ('sqlite' in db) {
    const conn = new Database(db.sqlite, { readonly: true });
    try {
      return (conn.prepare(sql).all() as { status: string }[]).map((r) => r.status);
    } finally {
      conn.close();
    }
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows.map((r: { status: string }) => r.status);
  } finally {
    await client.end();
  }
}

/** Each shard serves its own server's people (and shard 0 the DMs): scorecard and follow-up in their rooms, once. */
async function servesItsOwn(env: Record<string, string>, sqlite: string) {
  const { run, channelA, channelB } = await startSharded({ LLM_PROVIDER: 'offline', ...env }, sqlite);
  const q = questionOfKind('technical');
  const people: Where[] = [];
  for (const [user, channel] of [[ANA, channelA], [BOB, channelB], [CAROL, fake!.openDm(CAROL)]] as const) people.push({ user, room: await practice(user, channel, q.id, run.errors) });
  expect(new Set(people.map((p) => p.room)).size).toBe(3);
  for (const { user, room } of people) fake!.message({ channelId: room, author: user, content: answerOf(user) });
  const served = () => people.every(({ room }) => count(room, SCORECARD) > 0 && count(room, FOLLOW_UP) > 0);
  await until(served, run.errors);
  await sleep(1_500);
  expect(Object.fromEntries(people.map(({ user, room }) => [user.username, { scorecards: count(room, SCORECARD), followUps: count(room, FOLLOW_UP) }]))).toEqual({
    ana: { scorecards: 1, followUps: 1 },
    bob: { scorecards: 1, followUps: 1 },
    carol: { scorecards: 1, followUps: 1 },
  });
  // Nothing landed anywhere else: three scorecards in all.
  const everywhere = fake!.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && SCORECARD.test(r.body?.content ?? ''));
  expect(everywhere).toHaveLength(3);
  expect(run.errors()).not.toMatch(/shard failed|failed to handle/);
}

/**
 * Shard 0 is killed -9 while both shards grade (slowly): shard 1's answer is graded and
 * delivered once, by shard 1; shard 0's (a server's and a DM's) are left to shard 0, which the
 * manager respawns and which takes them over in their rooms, once.
 */
async function survivesShard0Dying(env: Record<string, string>, sqlite: string, db: { sqlite: string } | { url: string }) {
  llm = await startFakeOpenAI({ mode: 'slow', slowMs: LLM_MS });
  const llmEnv = { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: llm.url, OPENAI_MODEL: 'gpt-4o-mini', OPENAI_API_KEY: 'sk-shards', LLM_TIMEOUT_MS: '20000' };
  const { run, channelA, channelB } = await startSharded({ ...llmEnv, ...env }, sqlite);
  const q = questionOfKind('technical');
  const ana = { user: ANA, room: await practice(ANA, channelA, q.id, run.errors) };
  const bob = { user: BOB, room: await practice(BOB, channelB, q.id, run.errors) };
  const carol = { user: CAROL, room: await practice(CAROL, fake!.openDm(CAROL), q.id, run.errors) };
  for (const { user, room } of [ana, bob, carol]) fake!.message({ channelId: room, author: user, content: answerOf(user) });

  // All three gradings are waiting on the model: kill shard 0's process under its two.
  await until(() => [ANA, BOB, CAROL].every((u) => gradingCalls(u, llm!.inFlight()) === 1), run.errors);
  const shard0 = readyPids(run.errors()).find(([shard]) => shard === 0)![1];
  const identified = fake!.identifies.length;
  process.kill(shard0, 'SIGKILL');

  // Until the respawned shard 0 is back on the gateway, nobody else touches its server's answer.
  await until(() => fake!.identifies.slice(identified).some((i) => i.shard[0] === 0), run.errors, 60_000);
  expect({ ana: gradingCalls(ANA), carol: gradingCalls(CAROL) }, 'no other shard regraded shard 0\'s answers while it was down').toEqual({ ana: 1, carol: 1 });

  const delivered = () => [ana, bob, carol].every(({ room }) => count(room, SCORECARD) > 0 && count(room, FOLLOW_UP) > 0);
  const seen = () => JSON.stringify([ana, bob, carol].map(({ user, room }) => ({ [user.username]: postsIn(room).map((p) => p.slice(0, 40)), graded: gradingCalls(user) })));
  await until(delivered, () => `${seen()}\n${run.errors()}`, 60_000);
  await sleep(2 * LEASE_MS + 1_000);
  const tally = ({ user, room }: Where) => ({ scorecards: count(room, SCORECARD), followUps: count(room, FOLLOW_UP), turns: turnsOf(user, db) });
  const [a, b, c] = [tally(ana), tally(bob), tally(carol)];
  expect({ ...a, turns: await a.turns }, `ana (server on shard 0, killed)\n${run.errors()}`).toEqual({ scorecards: 1, followUps: 1, turns: ['graded'] });
  expect({ ...b, turns: await b.turns }, 'bob (server on shard 1, alive)').toEqual({ scorecards: 1, followUps: 1, turns: ['graded'] });
  expect({ ...c, turns: await c.turns }, 'carol (DM, shard 0, killed)').toEqual({ scorecards: 1, followUps: 1, turns: ['graded'] });
  // Bob's answer went to the model once; shard 0's twice (the call the kill cut off, then the respawned shard 0's retake).
  expect({ ana: gradingCalls(ANA), bob: gradingCalls(BOB), carol: gradingCalls(CAROL) }).toEqual({ ana: 2, bob: 1, carol: 2 });
  // The respawned shard 0 is a new process; shard 1 is the one it was.
  const pids = readyPids(run.errors());
  const zeros = pids.filter(([shard]) => shard === 0).map(([, pid]) => pid);
  expect(zeros).toHaveLength(2);
  expect(zeros[1]).not.toBe(shard0);
  expect(pids.filter(([shard]) => shard === 1)).toHaveLength(1);
}

const newSqlite = () => join(mkdtempSync(join(tmpdir(), 'sparring-shards-')), 's.db');

describe('sparring discord --shards 2 on a sharded gateway (SQLite)', () => {
  it('each shard serves its own server, shard 0 the DMs: scorecards and follow-ups in the right rooms, once', { timeout: 120_000 }, async () => {
    await servesItsOwn({}, newSqlite());
  });
  it('killing shard 0 while shard 1 grades: one grade and one scorecard each; shard 0 takes its answer back once respawned', { timeout: 150_000 }, async () => {
    const sqlite = newSqlite();
    await survivesShard0Dying({}, sqlite, { sqlite });
  });
});

const freshDatabase = scratchDatabases();
describePostgres('sparring discord --shards 2 on a sharded gateway (PostgreSQL)', () => {
  it('each shard serves its own server, shard 0 the DMs', { timeout: 120_000 }, async () => {
    const scratch = await freshDatabase();
    await servesItsOwn({ SPARRING_DATABASE_URL: scratch.url }, newSqlite());
  });
  it('killing shard 0 while shard 1 grades: one grade and one scorecard each', { timeout: 150_000 }, async () => {
    const scratch = await freshDatabase();
    await survivesShard0Dying({ SPARRING_DATABASE_URL: scratch.url }, newSqlite(), { url: scratch.url });
  });
});
