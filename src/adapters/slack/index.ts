/**
 * The Slack adapter: Bolt receives (Socket Mode with an app token, otherwise HTTP with signed
 * requests), listeners.ts turns payloads into IncomingEvents, deliver.ts sends the replies, and
 * a tick loop (bot.tick every few seconds, unref'd, stopped by stop()) posts timed drill injects.
 */
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Bot } from '../../core/bot.js';
import { UserError } from '../../core/kernel/errors.js';
import type { Abilities } from '../../core/kernel/adapter.js';
import type { PlatformState } from '../../core/kernel/platform-state.js';
import type { Reply } from '../../core/kernel/types.js';
import { deliver } from './deliver.js';
import { guardRequests } from './replay-guard.js';
import { registerListeners } from './listeners.js';
import { createSlackLogger } from './logger.js';

export type SlackAdapterConfig = {
  bot: Bot;
  /** Event ids, thread owners and names, kept in the store so they survive restarts. */
  state: PlatformState;
  botToken: string;
  /** HTTP mode: requests to /slack/events are verified with it. */
  signingSecret?: string;
  /** Socket Mode when set: no public URL needed. */
  appToken?: string;
  /** Web API base; tests point it at a local fake. */
  apiUrl?: string;
  port?: number;
  /** Interface to listen on in HTTP mode (default: all). */
  host?: string;
  logLevel?: LogLevel;
  log?: (message: string, err?: unknown) => void;
  /** How hard to retry failed Web API calls; a 429 waits Retry-After first. */
  retryConfig?: webApi.RetryOptions;
  /** How often due work is run: jobs (another process's leftovers, retries, the outbox) and drill injects; default every second. */
  tickMs?: number;
};

/** Slack's sessions and drills get a thread in the channel, which its members can read. */
export const SLACK_ABILITIES: Abilities = { buttons: true, forms: true, privateNotes: true, sharedRooms: true, threads: 'public', directMessages: true, homeView: true };

export type SlackStarted = { mode: 'socket' | 'http'; port?: number; botUserId: string; team?: string };

/** A chat reply that arrives minutes late is worse than an error; a few quick retries suffice. */
const DEFAULT_RETRY: webApi.RetryOptions = { retries: 5, factor: 2, minTimeout: 250, maxTimeout: 5_000, randomize: true };
const DEFAULT_API_URL = 'https://slack.com/api/';
const DEFAULT_TICK_MS = 1_000;

const slackError = (err: unknown): string | undefined => (err as { data?: { error?: string } })?.data?.error;

export function createSlackAdapter(config: SlackAdapterConfig) {
  const log = config.log ?? ((message: string, err?: unknown) => console.error(message, err ?? ''));
  const apiUrl = config.apiUrl ?? DEFAULT_API_URL;
  const logLevel = config.logLevel ?? LogLevel.WARN;
  const { logger, mute } = createSlackLogger(logLevel);
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: apiUrl,
    retryConfig: config.retryConfig ?? DEFAULT_RETRY,
    // Wait out a 429 and retry rather than fail: the session goes on a little later.
    rejectRateLimitedCalls: false,
    timeout: 15_000,
    logger,
  };
  const inflight = new Set<Promise<unknown>>();
  let app: App | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let ticking = false;

  const track = <T>(work: Promise<T>): Promise<T> => {
    inflight.add(work);
    void work.finally(() => inflight.delete(work)).catch(() => undefined);
    return work;
  };

  async function whoAmI() {
    // A short retry budget here: a wrong URL or token should fail start-up, not hang it.
    const client = new webApi.WebClient(config.botToken, { ...clientOptions, retryConfig: { retries: 1, minTimeout: 200 } });
    try {
      const auth = await client.auth.test();
      if (!auth.user_id || !auth.bot_id) throw new UserError('setting SLACK_BOT_TOKEN: this token is not a bot token (use the xoxb- token from OAuth & Permissions)');
      return auth;
    } catch (err) {
      if (err instanceof UserError) throw err;
      const code = slackError(err);
      if (code) throw new UserError(`setting SLACK_BOT_TOKEN: Slack rejected the token (${code})`);
      throw new UserError(`setting SLACK_API_URL: cannot reach Slack's Web API at ${apiUrl} (${(err as Error).message})`);
    }
  }

  async function startReceiving(): Promise<SlackStarted> {
    const auth = await whoAmI();
    const socket = Boolean(config.appToken);
    if (!socket && !config.signingSecret) throw new UserError('setting SLACK_SIGNING_SECRET: required unless SLACK_APP_TOKEN is set (Socket Mode)');
    const receiver = socket
      ? new SocketModeReceiver({ appToken: config.appToken!, logger, installerOptions: { clientOptions: { slackApiUrl: apiUrl } } })
      : new HTTPReceiver({
          signingSecret: config.signingSecret!, endpoints: '/slack/events', processBeforeResponse: false, logger,
          // The ack waits for the answer's commit (ackAfter): on a loaded database that can pass
          // Slack's 3 s, and then a late 200 (Slack retries, the retry is taken once) beats Bolt's 404.
          unhandledRequestTimeoutMillis: 10_000,
        });
    if (receiver instanceof HTTPReceiver) receiver.requestListener = guardRequests(receiver.requestListener, config.state, log);
    // Passing the ids from auth.test spares Bolt a second auth.test before the first ack.
    const bolt = new App({ token: config.botToken, botId: auth.bot_id!, botUserId: auth.user_id!, receiver, clientOptions, logger, logLevel });
    // Track every request from the moment Bolt receives it, so idle() sees work that is
    // still on its way to a listener, not only work already inside one. Its ack waits until
    // the listeners have returned, which they do once the core has taken the event: Slack
    // hears "received" only for an answer already committed (in either mode; for HTTP this is
    // what processBeforeResponse does, for Socket Mode there is no such option).
    const processEvent = bolt.processEvent.bind(bolt);
    bolt.processEvent = (event) => track(ackAfter(event, processEvent));
    registerListeners(bolt, { bot: config.bot, state: config.state, botUserId: auth.user_id!, log, track });
    app = bolt;

    let port: number | undefined;
    try {
      if (socket) await bolt.start();
      else port = ((await bolt.start({ port: config.port ?? 3000, ...(config.host ? { host: config.host } : {}) })).address() as AddressInfo).port;
    } catch (err) {
      throw startError(err, socket, config.port);
    }
    return { mode: socket ? 'socket' : 'http', ...(port !== undefined ? { port } : {}), botUserId: auth.user_id!, ...(auth.team ? { team: auth.team } : {}) };
  }

  const nameOf = (workspace: string, userId: string) => config.state.displayName({ platform: 'slack', workspace, userId });
  const delivery = () => ({ client: app!.client, state: config.state, log, nameOf });
  const post = (replies: Reply[]) => deliver(delivery(), replies);

  /** Runs due jobs and releases due drill injects; a tick still running when the next is due is not doubled. */
  async function tick(): Promise<void> {
    if (ticking || !app) return;
    ticking = true;
    try {
      await track((async () => {
        await config.bot.work({ platform: 'slack' }, post);
        await config.bot.tick('slack', post);
      })());
    } catch (err) {
      log('sparring: running due work failed', err);
    } finally {
      ticking = false;
    }
  }

  return {
    platform: 'slack' as const,
    abilities: SLACK_ABILITIES,
    get app() {
      return app;
    },

    /** Verifies the token, starts receiving, then runs the work a crash left: gradings, replies not yet delivered. */
    async start(): Promise<SlackStarted> {
      mute(true);
      let started: SlackStarted;
      try {
        started = await startReceiving();
      } finally {
        mute(false);
      }
      // Work a crash left (gradings, undelivered replies) and injects that fell due while the app was down go out at once, then every tick.
      await tick();
      ticker = setInterval(() => void tick(), config.tickMs ?? DEFAULT_TICK_MS);
      ticker.unref();
      return started;
    },

    /** Resolves when every request received so far has been handled and its replies sent. */
    async idle(): Promise<void> {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },

    async stop(): Promise<void> {
      clearInterval(ticker);
      ticker = undefined;
      await this.idle();
      await app?.stop();
    },
  };
}

export type SlackAdapter = ReturnType<typeof createSlackAdapter>;

type ReceiverEvent = Parameters<App['processEvent']>[0];

/**
 * Runs the listeners with the event's ack held back, then acks with what they asked for. A
 * listener that throws leaves the response to the receiver's error handling, as Bolt would.
 */
async function ackAfter(event: ReceiverEvent, process: (event: ReceiverEvent) => Promise<void>): Promise<void> {
  const send = event.ack;
  let asked: Parameters<typeof send> | undefined;
  await process({ ...event, ack: async (...args: Parameters<typeof send>) => void (asked ??= args) });
  await send(...(asked ?? []));
}

function startError(err: unknown, socket: boolean, port: number | undefined): Error {
  if (err instanceof UserError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'EADDRINUSE') return new UserError(`setting SLACK_PORT: port ${port} is already in use`);
  if (code === 'EACCES') return new UserError(`setting SLACK_PORT: not allowed to listen on port ${port}`);
  const slack = slackError(err);
  if (socket && slack) return new UserError(`setting SLACK_APP_TOKEN: Slack rejected the app-level token (${slack}); it needs the connections:write scope`);
  return err instanceof Error ? err : new Error(String(err));
}
