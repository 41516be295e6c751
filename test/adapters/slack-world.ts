import { LogLevel } from '@slack/bolt';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/index.js';
import type { Bot } from '../../src/core/bot.js';
import { actionName, decodeAction, encodeAction, type Action } from '../../src/core/kernel/actions.js';
import type { PracticeStore } from '../../src/core/practice/ports.js';
import { renderProgressChart } from '../../src/charts/progress-chart.js';
import type { Grader } from '../../src/grading/types.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createSqliteStores } from '../../src/store/sqlite.js';
import { blockTexts, buttonsOf, slackSender, startFakeSlackApi, type FakeSlackApi, type SeenMessage, type SlackSender } from '../fakes/slack-api.js';
import { manualClock, testApp, type ManualClock } from '../support/harness.js';
import type { ContractDriver, SeenReply } from './contract.js';

export const SIGNING_SECRET = 'test-signing-secret';

export type SlackWorld = {
  db: Db;
  store: PracticeStore;
  bot: Bot;
  /** The bot's clock: advance it and the adapter's tick loop releases what fell due. */
  clock: ManualClock;
  api: FakeSlackApi;
  adapter: SlackAdapter;
  slack: SlackSender;
  eventsUrl: string;
  person(where: { team?: string; user: string; name?: string; channel?: string }): SlackPerson;
  close(): Promise<void>;
};

/**
 * The whole bot behind the real Slack adapter: Bolt's HTTP receiver on 127.0.0.1 receiving
 * signed requests, its WebClient talking to the fake Web API, SQLite in memory. Drills, mock
 * interviews, the progress chart and forget-me are on, as in `sparring slack`; the clock is
 * manual and the tick loop runs every 20 ms.
 */
export async function slackWorld(opts: { db?: Db; grader?: Grader; tickMs?: number } = {}): Promise<SlackWorld> {
  const db = opts.db ?? openDatabase(':memory:');
  const stores = createSqliteStores(db);
  const store = stores.practice;
  const clock = manualClock();
  const { bot } = await testApp({
    stores, clock, ...(opts.grader ? { grader: opts.grader } : {}),
    progressChart: (report) => ({ name: 'progress.png', png: renderProgressChart(report).png, alt: 'Average score per competency' }),
  });
  const api = await startFakeSlackApi();
  const adapter = createSlackAdapter({
    bot, state: stores.platform, botToken: 'xoxb-test', signingSecret: SIGNING_SECRET,
    apiUrl: api.url, port: 0, host: '127.0.0.1', logLevel: LogLevel.ERROR, log: () => {},
    retryConfig: { retries: 3, minTimeout: 10, maxTimeout: 50 }, tickMs: opts.tickMs ?? 20,
  });
  const started = await adapter.start();
  const eventsUrl = `http://127.0.0.1:${started.port}/slack/events`;
  const slack = slackSender(eventsUrl, SIGNING_SECRET);
  const world: SlackWorld = {
    db, store, bot, clock, api, adapter, slack, eventsUrl,
    person: (where) => slackPerson(world, where),
    async close() {
      await adapter.stop();
      await api.close();
      // A database passed in belongs to the test (e.g. to restart on it); ours is closed here.
      if (!opts.db) db.close();
    },
  };
  return world;
}

let counter = 0;

/** One person in one workspace, typing and clicking in Slack's client. */
export function slackPerson(world: SlackWorld, where: { team?: string; user: string; name?: string; channel?: string }) {
  const { api, slack, adapter } = world;
  const team = where.team ?? 'T0A';
  const user = where.user;
  const name = where.name ?? user.toLowerCase();
  const channel = where.channel ?? 'C0PRACTICE';
  const direct = channel.startsWith('D');
  const mine = (m: SeenMessage) => m.channel === channel || (direct && m.channel === channel);
  const userJson = { id: user, username: name, name, team_id: team };

  /** The thread of my latest session: the newest top-level public message the bot posted here with buttons. */
  const sessionThread = (): string | undefined => {
    if (direct) return undefined;
    const openers = api.messages().filter((m) => mine(m) && !m.ephemeral && !m.thread && buttonsOf(m).length > 0);
    return openers.at(-1)?.ts;
  };

  const person = {
    team, user, name, channel,
    /** `/sparring <text>` in the channel. */
    async command(text: string) {
      const res = await slack.command({
        token: 'legacy', team_id: team, team_domain: 'fake', channel_id: channel, channel_name: direct ? 'directmessage' : 'practice',
        user_id: user, user_name: name, command: '/sparring', text, api_app_id: 'A0SPAR',
        response_url: api.responseUrl(`cmd${++counter}`), trigger_id: `trig.${++counter}`,
      });
      await adapter.idle();
      return res;
    },
    /** A message in the session's thread (or the DM), or at `thread` when given. */
    async say(text: string, opts: { thread?: string | null; retryNum?: number; eventId?: string } = {}) {
      const thread = opts.thread === null ? undefined : (opts.thread ?? sessionThread());
      const sent = await slack.event(team, {
        type: 'message', channel, user, text, ts: `${Date.now() / 1000}${++counter}`, team,
        channel_type: direct ? 'im' : 'channel', ...(thread ? { thread_ts: thread } : {}),
      }, { ...(opts.retryNum !== undefined ? { retryNum: opts.retryNum } : {}), ...(opts.eventId ? { eventId: opts.eventId } : {}) });
      await adapter.idle();
      return sent;
    },
    /** Clicks the newest button this person can see that is `target` (a name, or a whole payload). */
    async click(target: ButtonTarget) {
      const message = [...api.seenBy(user)].reverse().find((m) => buttonsOf(m).some((b) => isButton(b.actionId, target)));
      const button = message && buttonsOf(message).find((b) => isButton(b.actionId, target));
      if (!message || !button) throw new Error(`${name} sees no "${describe(target)}" button`);
      const res = await slack.interaction({
        type: 'block_actions', token: 'legacy', api_app_id: 'A0SPAR', trigger_id: `trig.${++counter}`,
        team: { id: team, domain: 'fake' }, user: userJson,
        container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: message.ephemeral },
        channel: { id: message.channel, name: 'practice' },
        // Slack sends the message only for ordinary messages, not ephemeral ones.
        ...(message.ephemeral ? {} : { message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks, ...(message.thread ? { thread_ts: message.thread } : {}) } }),
        response_url: api.responseUrl(`act${counter}`),
        actions: [{ type: 'button', action_id: button.actionId, block_id: 'b1', text: { type: 'plain_text', text: button.label }, value: button.value, action_ts: `${Date.now() / 1000}` }],
      });
      await adapter.idle();
      return res;
    },
    /** Clicks a button in App Home (no channel, no message: the container is the view). */
    async clickHome(target: ButtonTarget) {
      const view = api.callsTo('views.publish').filter((c) => c.params['user_id'] === user).at(-1)?.params['view'];
      const button = buttonsOf({ blocks: view?.blocks ?? [] }).find((b) => isButton(b.actionId, target));
      if (!button) throw new Error(`no "${describe(target)}" button in ${name}'s App Home`);
      await slack.interaction({
        type: 'block_actions', token: 'legacy', api_app_id: 'A0SPAR', trigger_id: `trig.${++counter}`,
        team: { id: team, domain: 'fake' }, user: userJson, container: { type: 'view', view_id: 'V1' },
        view: { id: 'V1', type: 'home', blocks: view.blocks },
        actions: [{ type: 'button', action_id: button.actionId, block_id: 'b1', text: { type: 'plain_text', text: button.label }, value: button.value, action_ts: `${Date.now() / 1000}` }],
      });
      await adapter.idle();
    },
    /** Fills in and submits the modal most recently opened (views.open) for this person. */
    async submitForm(fields: Record<string, string>) {
      const view = api.callsTo('views.open').at(-1)?.params['view'];
      if (!view) throw new Error('no modal was opened');
      const values = Object.fromEntries(Object.entries(fields).map(([id, value]) => [id, { [id]: { type: 'plain_text_input', value } }]));
      const res = await slack.interaction({
        type: 'view_submission', token: 'legacy', api_app_id: 'A0SPAR', trigger_id: `trig.${++counter}`,
        team: { id: team, domain: 'fake' }, user: userJson,
        view: { ...view, id: 'V2', team_id: team, state: { values } },
        response_urls: [],
      });
      await adapter.idle();
      return res;
    },
    async openHome() {
      await slack.event(team, { type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home' });
      await adapter.idle();
      return api.callsTo('views.publish').filter((c) => c.params['user_id'] === user).at(-1)?.params['view'];
    },
    seen: () => api.seenBy(user).filter(mine),
    sessionThread,
  };
  return person;
}

export type SlackPerson = ReturnType<typeof slackPerson>;

/** A button by name (`actionName`: its kind, or a command button's command) or by its whole payload. */
export type ButtonTarget = string | Action;

/** The core's payload behind a Slack action_id (a repeat in one message carries `#n`). */
export const payloadOf = (actionId: string): Action | undefined => decodeAction(actionId.replace(/#\d+$/, ''));

function isButton(actionId: string, target: ButtonTarget): boolean {
  const action = payloadOf(actionId);
  return action !== undefined && (typeof target === 'string' ? actionName(action) === target : encodeAction(action) === encodeAction(target));
}

const describe = (target: ButtonTarget) => (typeof target === 'string' ? target : encodeAction(target));

/** Slack text as read on screen: mrkdwn markers and entities gone. */
export const readable = (text: string): string =>
  text.replace(/\*/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export function seenReply(m: SeenMessage): SeenReply {
  return {
    text: readable([m.text, ...blockTexts(m.blocks)].join('\n')),
    private: m.ephemeral,
    actions: buttonsOf(m).flatMap((b) => payloadOf(b.actionId) ?? []),
  };
}

/** The adapter contract's driver over a Slack world: everyone in one channel of one workspace. */
export async function slackContractDriver(): Promise<ContractDriver> {
  const world = await slackWorld();
  return {
    person(userId, name) {
      const p = world.person({ user: userId, name });
      return {
        command: async (cmd, ...args) => void (await p.command([cmd, ...args].join(' '))),
        answer: async (text) => void (await p.say(text)),
        click: async (actionId) => void (await p.click(actionId)),
        submitForm: async (fields) => void (await p.submitForm(fields)),
        seen: () => p.seen().map(seenReply),
      };
    },
    close: () => world.close(),
  };
}
