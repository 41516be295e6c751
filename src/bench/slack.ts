import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { createSlackAdapter } from '../adapters/slack/index.js';
import type { Catalog } from '../content/load.js';
import type { Bot } from '../core/bot.js';
import { createApp } from '../app.js';
import { ConfigSchema } from '../config.js';
import { openDatabase } from '../store/db.js';
import { createSqliteStores } from '../store/sqlite.js';
import { startSlackApiStub, type SlackApiStub } from './slack-api-stub.js';

/**
 * Graded answers per second through `sparring slack` (the real adapter: Bolt's HTTP receiver,
 * signed requests, replay guard, SQLite file, offline grader, replies posted to a local Web
 * API) next to a bare Bolt app whose message listener only posts an echo: the same signed
 * event_callback requests to both, so the ratio is what our work costs over Bolt's own.
 * An event counts when it is answered (graded, replies posted), not when it was acked.
 */

const SECRET = 'bench-signing-secret';
const TEAM = 'T0BENCH';

export type SlackFigures = { slack_events_per_s: number; bolt_echo_events_per_s: number; slack_vs_bolt_ratio: number };

const sign = (body: string, ts: number) => `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;

/** Event ids are unique across the whole run: a repeated id is (rightly) dropped as a retry. */
let n = 0;

function sender(url: string) {
  const post = (body: string, type: string) => {
    const ts = Math.floor(Date.now() / 1000);
    return fetch(url, { method: 'POST', headers: { 'content-type': type, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts) }, body }).then((r) => r.text());
  };
  return {
    command: (user: string, channel: string, text: string) => post(new URLSearchParams({
      token: 'legacy', team_id: TEAM, team_domain: 'bench', channel_id: channel, channel_name: 'practice', user_id: user, user_name: user.toLowerCase(),
      command: '/sparring', text, api_app_id: 'A0BENCH', response_url: `${url}#none`, trigger_id: `trig.${++n}`,
    }).toString(), 'application/x-www-form-urlencoded'),
    /** A message in a thread; resolves with its event id once the request is acked. */
    async message(user: string, channel: string, thread: string, text: string): Promise<string> {
      const id = `EvBench${++n}`;
      const ts = `${(Date.now() / 1000).toFixed(6)}${n}`;
      await post(JSON.stringify({
        token: 'legacy', team_id: TEAM, api_app_id: 'A0BENCH', type: 'event_callback', event_id: id, event_time: Math.floor(Date.now() / 1000),
        event: { type: 'message', channel, user, text, ts, thread_ts: thread, team: TEAM, channel_type: 'channel', event_ts: ts },
        authorizations: [{ team_id: TEAM, user_id: 'U0BOT', is_bot: true }],
      }), 'application/json');
      return id;
    },
  };
}

/** Per event id, the work it started; done(id) resolves when that work has finished. */
function completions() {
  const started = new Map<string, Promise<unknown>>();
  return {
    started(id: unknown, work: Promise<unknown>) {
      if (typeof id === 'string') started.set(id, work.catch(() => undefined));
    },
    async done(id: string) {
      // The request is acked before, or while, its listener runs: wait for the work to be known first.
      for (let i = 0; !started.has(id) && i < 10_000; i++) await new Promise((r) => setImmediate(r));
      await started.get(id);
      started.delete(id);
    },
  };
}

/** Bolt's own processing of the event, listeners included: the echo app's whole work. */
function whenProcessed(app: App): (eventId: string) => Promise<void> {
  const seen = completions();
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const work = processEvent(event);
    seen.started((event.body as { event_id?: unknown }).event_id, work);
    return work;
  };
  return seen.done;
}

/**
 * The bot's handling of the event: Slack is acked once the answer is committed, and grading
 * and the replies go on after that, so Bolt's processing alone would count acks, not answers.
 */
function whenAnswered(bot: Bot): (eventId: string) => Promise<void> {
  const seen = completions();
  const handle = bot.handle.bind(bot);
  bot.handle = (event, deliver, hooks) => {
    const work = handle(event, deliver, hooks);
    seen.started(event.eventId, work);
    return work;
  };
  return seen.done;
}

/** `sessions` people answering at once, `answers` each in turn; events per second. */
async function drive(url: string, done: (id: string) => Promise<void>, threads: { user: string; channel: string; thread: string }[], answers: number, texts: string[]): Promise<number> {
  const send = sender(url);
  const t0 = performance.now();
  await Promise.all(threads.map(async (t, i) => {
    for (let k = 0; k < answers; k++) await done(await send.message(t.user, t.channel, t.thread, texts[(i * answers + k) % texts.length]!));
  }));
  return (threads.length * answers) / ((performance.now() - t0) / 1000);
}

type Target = { url: string; done: (id: string) => Promise<void>; threads(from: number, count: number): Promise<{ user: string; channel: string; thread: string }[]>; close(): Promise<void> };

async function ours(catalog: Catalog, dir: string, stub: SlackApiStub): Promise<Target> {
  const stores = createSqliteStores(openDatabase(join(dir, 'slack-bench.db')));
  const app = await createApp(ConfigSchema.parse({}), { catalog, stores, log: () => {} });
  const answered = whenAnswered(app.bot);
  const adapter = createSlackAdapter({
    bot: app.bot, state: stores.platform, botToken: 'xoxb-bench', signingSecret: SECRET, apiUrl: stub.url,
    port: 0, host: '127.0.0.1', logLevel: LogLevel.ERROR, log: () => {}, tickMs: 60_000,
  });
  const { port } = await adapter.start();
  const url = `http://127.0.0.1:${port}/slack/events`;
  return {
    url,
    done: answered,
    // Each person opens a practice session in a channel of their own; its thread is where they answer.
    async threads(from, count) {
      const send = sender(url);
      const people = Array.from({ length: count }, (_, i) => ({ user: `U${from + i}`, channel: `C${from + i}` }));
      await Promise.all(people.map((p) => send.command(p.user, p.channel, 'practice 5')));
      await adapter.idle();
      const threads = people.map((p) => ({ ...p, thread: stub.threadIn(p.channel) ?? '' })).filter((p) => p.thread);
      if (threads.length < count) throw new Error(`only ${threads.length} of ${count} bench sessions opened a thread`);
      return threads;
    },
    async close() {
      await adapter.stop();
      await app.close();
    },
  };
}

async function boltEcho(stub: SlackApiStub): Promise<Target> {
  const receiver = new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events', processBeforeResponse: false, logLevel: LogLevel.ERROR });
  const app = new App({ token: 'xoxb-bench', botId: 'B0BOT', botUserId: 'U0BOT', receiver, clientOptions: { slackApiUrl: stub.url }, logLevel: LogLevel.ERROR });
  app.event('message', async ({ event, client }) => {
    const m = event as { channel: string; ts: string; thread_ts?: string; text?: string };
    await client.chat.postMessage({ channel: m.channel, thread_ts: m.thread_ts ?? m.ts, text: m.text ?? '' });
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as { address(): AddressInfo | string | null };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    done: whenProcessed(app),
    threads: async (from, count) => Array.from({ length: count }, (_, i) => ({ user: `U${from + i}`, channel: `C${from + i}`, thread: `1763800000.${from + i}` })),
    close: () => app.stop().then(() => undefined),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * `sessions` people answer at once, `answers` each (fewer than a session's five questions, so
 * every message is a real answer); the two apps take turns, `rounds` times, and each figure
 * is the median of its rounds, so a noisy moment on the machine does not decide the ratio.
 */
export async function measureSlack(catalog: Catalog, dir: string, texts: string[], sessions = 40, answers = 3, rounds = 3): Promise<SlackFigures> {
  const stub = await startSlackApiStub();

  const targets: Target[] = [];
  try {
    const slack = await ours(catalog, dir, stub);
    targets.push(slack);
    const echo = await boltEcho(stub);
    targets.push(echo);
    const rates = { slack: [] as number[], echo: [] as number[] };
    for (let r = 0; r <= rounds; r++) {
      const from = 1000 * (r + 1);
      const slackRate = await drive(slack.url, slack.done, await slack.threads(from, r === 0 ? 5 : sessions), answers, texts);
      const echoRate = await drive(echo.url, echo.done, await echo.threads(from, r === 0 ? 5 : sessions), answers, texts);
      // Round 0 warms both up and is not counted.
      if (r > 0) {
        rates.slack.push(slackRate);
        rates.echo.push(echoRate);
      }
    }
    const [s, e] = [median(rates.slack), median(rates.echo)];
    return { slack_events_per_s: Math.round(s), bolt_echo_events_per_s: Math.round(e), slack_vs_bolt_ratio: Number((s / e).toFixed(2)) };
  } finally {
    for (const t of targets) await t.close();
    await stub.close();
  }
}
