/**
 * Bolt listeners: every one acks first (Slack wants an answer within 3 seconds) and only then
 * asks the core, which may spend seconds grading. What reaches the core is filtered here:
 * in channels only the owner's replies in their session's thread count, so ordinary chatter
 * is never answered, and a retried event is handled once.
 */
import type { App } from '@slack/bolt';
import type { Bot } from '../../core/bot.js';
import type { PracticeStore } from '../../core/ports.js';
import type { Actor, ConversationRef, IncomingEvent } from '../../core/types.js';
import type { EventLog } from '../../store/event-log.js';
import { deliver, type DeliverOptions, type Delivery } from './deliver.js';
import { renderHome } from './home.js';
import { actorOf, isDirect, parseBlockAction, parseMessage, parseSlashCommand, parseViewSubmission, typedCommand } from './parse.js';

export type ListenerDeps = {
  bot: Bot;
  sessions: Pick<PracticeStore, 'upsertUser' | 'activeSession'>;
  events: EventLog;
  botUserId: string;
  log: (message: string, err?: unknown) => void;
};

/** Buttons that act on the clicker's open session; on someone else's thread they are refused. */
const SESSION_ACTIONS = new Set(['answer-form', 'hint', 'skip', 'next', 'end']);
/** Commands that do not act on an open question and so stay where they were typed. */
const ROOMLESS_COMMANDS = new Set(['practice', 'help', 'history']);

const NOT_YOURS = 'This practice session belongs to someone else. Start your own with `/sparring practice`.';

const sameRoom = (a: ConversationRef, b: ConversationRef) =>
  a.platform === b.platform && a.workspace === b.workspace && a.channel === b.channel && (a.thread ?? '') === (b.thread ?? '');

export function registerListeners(app: App, deps: ListenerDeps): void {
  const { bot, sessions, events, log } = deps;
  // Slack sends display names with commands and clicks but not with messages; remember them
  // rather than asking users.info for every message (which would need the users:read scope).
  const names = new Map<string, string>();
  const nameOf = (team: string, user: string) => names.get(`${team}:${user}`);
  const learn = (a: Actor) => {
    if (a.displayName === a.userId) return;
    if (names.size > 10_000) names.clear();
    names.set(`${a.workspace}:${a.userId}`, a.displayName);
  };

  const run = async (client: Delivery['client'], event: IncomingEvent, opts: DeliverOptions = {}) => {
    const replies = await bot.handle(event);
    await deliver({ client, bot, events, log }, replies, { actor: event.actor, ...opts });
  };

  /** True the first time Slack delivers this event; a retry (x-slack-retry-num) is dropped. */
  const firstDelivery = (body: unknown) => {
    const id = (body as { event_id?: unknown }).event_id;
    return typeof id !== 'string' || events.firstDelivery('slack', id);
  };

  /** Is this thread the one the actor's active session lives in? */
  const ownsThread = (actor: Actor, room: ConversationRef): boolean => {
    if (!room.thread) return false;
    const owner = events.threadOwner({ platform: 'slack', workspace: room.workspace, channel: room.channel, thread: room.thread });
    if (owner !== actor.userId) return false;
    const session = sessions.activeSession(sessions.upsertUser(actor).id, room);
    return session !== undefined && sameRoom(session.conversation, room);
  };

  /** `/sparring hint` typed in the channel acts on, and answers in, the session's thread there. */
  const sessionRoom = (actor: Actor, room: ConversationRef, command: string): ConversationRef => {
    if (room.thread || isDirect(room.channel) || ROOMLESS_COMMANDS.has(command)) return room;
    const session = sessions.activeSession(sessions.upsertUser(actor).id, room);
    const c = session?.conversation;
    return c && c.platform === 'slack' && c.workspace === room.workspace && c.channel === room.channel ? c : room;
  };

  app.command(/.*/, async ({ ack, body, client, respond }) => {
    await ack();
    const event = parseSlashCommand(body);
    if (!event || event.kind !== 'command') return;
    learn(event.actor);
    const conversation = sessionRoom(event.actor, event.conversation, event.name);
    await run(client, { ...event, conversation }, {
      respond: (text) => respond({ response_type: 'ephemeral', text }),
    });
  });

  app.event('message', async ({ event, body, client }) => {
    const team = (body as { team_id?: string }).team_id;
    const raw = event as { user?: string };
    if (!team) return;
    const msg = parseMessage(event, team, deps.botUserId, raw.user ? nameOf(team, raw.user) : undefined);
    if (!msg) return;
    if (!msg.direct) {
      // A mention arrives twice (message + app_mention); the app_mention listener owns it.
      if (msg.mentionsBot || !ownsThread(msg.actor, msg.conversation)) return;
    }
    if (!firstDelivery(body)) return;
    const cmd = typedCommand(msg.text);
    await run(client, cmd ? { kind: 'command', ...cmd, actor: msg.actor, conversation: msg.conversation } : { kind: 'message', text: msg.text, actor: msg.actor, conversation: msg.conversation });
  });

  app.event('app_mention', async ({ event, body, client }) => {
    const team = (body as { team_id?: string }).team_id;
    if (!team) return;
    const msg = parseMessage({ ...event, channel_type: 'channel' }, team, deps.botUserId, event.user ? nameOf(team, event.user) : undefined);
    if (!msg || !firstDelivery(body)) return;
    const base = { actor: msg.actor, conversation: msg.conversation };
    const cmd = typedCommand(msg.text);
    if (cmd) await run(client, { kind: 'command', ...cmd, ...base, conversation: sessionRoom(msg.actor, msg.conversation, cmd.name) });
    else if (ownsThread(msg.actor, msg.conversation)) await run(client, { kind: 'message', text: msg.text, ...base });
    // Addressed but not a command and not an answer: say privately what the bot can do.
    else await run(client, { kind: 'command', name: 'help', args: [], ...base });
  });

  app.action({ type: 'block_actions' }, async ({ ack, body, client }) => {
    await ack();
    const parsed = parseBlockAction(body);
    if (!parsed) return;
    const { event, triggerId } = parsed;
    learn(event.actor);
    const room = event.conversation;
    if (SESSION_ACTIONS.has(event.actionId) && room.thread && !isDirect(room.channel) && !ownsThread(event.actor, room)) {
      const notice = { to: room, visibility: { onlyFor: event.actor }, text: NOT_YOURS, role: 'info' as const };
      await deliver({ client, bot, events, log }, [notice]);
      return;
    }
    await run(client, event, triggerId ? { triggerId } : {});
  });

  app.view({ type: 'view_submission' }, async ({ ack, body, client }) => {
    // Acking closes the modal at once; the scorecard follows in the thread.
    await ack();
    const event = parseViewSubmission(body);
    if (!event) return;
    learn(event.actor);
    await run(client, event);
  });

  app.event('app_home_opened', async ({ event, body, client }) => {
    const team = (body as { team_id?: string }).team_id;
    if (event.tab !== 'home' || !team) return;
    const actor = actorOf(team, event.user, nameOf(team, event.user));
    await client.views.publish({ user_id: event.user, view: renderHome(bot.progress(actor)) });
  });

  app.error(async (err) => log('sparring: error in a Slack listener', err));
}
