/**
 * Bolt listeners: each returns once the core has taken its event (an answer is committed with
 * its grading job), and the adapter acks only then (see index.ts), so a crash never loses an
 * event Slack was told had arrived; the slow part (grading, delivery) goes on after the ack. What reaches the core is filtered here:
 * in channels only the owner's replies in their session's thread count, so ordinary chatter
 * is never answered, and a retried event is handled once. A drill's thread is the exception:
 * there every person's message matters (bot.listensIn), and is passed on to be recorded.
 */
import { createHash } from 'node:crypto';
import type { App } from '@slack/bolt';
import type { Bot } from '../../core/bot.js';
import type { PlatformState } from '../../core/kernel/platform-state.js';
import type { Action } from '../../core/kernel/actions.js';
import type { Actor, ConversationRef, IncomingEvent, PersonRef } from '../../core/kernel/types.js';
import { deliver, DRILL_THREAD_KEY, uploadImage, type DeliverOptions, type Delivery } from './deliver.js';
import { renderHome, type HomeChart } from './home.js';
import { namesPeople, commandRoom as roomKind } from '../../core/commands.js';
import { actorOf, isDirect, parseBlockAction, parseMessage, parseSlashCommand, parseViewSubmission, typedCommand, typedDrillCommand } from './parse.js';

export type ListenerDeps = {
  bot: Bot;
  state: PlatformState;
  botUserId: string;
  log: (message: string, err?: unknown) => void;
  /** Keeps work that outlives its listener (grading, delivery) in sight of the adapter's idle() and stop(). */
  track: <T>(work: Promise<T>) => Promise<T>;
};

/** Buttons that act on the clicker's open session; on someone else's thread they are refused. */
const actsOnSession = (action: Action): boolean => action.do === 'answer-form' || action.do === 'command';

const STALE_BUTTON = 'That button is from an older message and no longer works; use `/sparring` instead.';

const NOT_YOURS = 'This practice session belongs to someone else. Start your own with `/sparring practice`.';

const sameRoom = (a: ConversationRef, b: ConversationRef) =>
  a.platform === b.platform && a.workspace === b.workspace && a.channel === b.channel && (a.thread ?? '') === (b.thread ?? '');

export function registerListeners(app: App, deps: ListenerDeps) {
  const { bot, state, log } = deps;
  // Slack sends display names with commands and clicks but not with messages; remember them
  // rather than asking users.info for every message (which would need the users:read scope).
  const nameOf = (team: string, user: string) => state.displayName({ platform: 'slack', workspace: team, userId: user });
  const learn = async (a: Actor) => {
    if (a.displayName !== a.userId) await state.rememberDisplayName(a);
  };
  /** App Home charts already uploaded, by user: a chart is uploaded again only when it changed. */
  const charts = new Map<string, { hash: string; chart: HomeChart }>();
  // The name goes with the rest of the person's data in the core's forget-me; the chart cache is ours.
  const forget = (a: Actor) => charts.delete(`${a.workspace}:${a.userId}`);

  const delivery = (client: Delivery['client']): Delivery => ({ client, state, log, nameOf });

  /** Hands the event to the core and resolves once it is taken; its grading and replies go on in the background. */
  const run = (client: Delivery['client'], event: IncomingEvent, opts: DeliverOptions = {}) =>
    new Promise<void>((taken) => {
      const work = bot.handle(event, (replies) => deliver(delivery(client), replies, { actor: event.actor, ...opts }), { accepted: taken });
      void deps.track(work.then(() => {
        const confirmedForget = (event.kind === 'action' && event.action.do === 'forget-me') || (event.kind === 'command' && event.name === 'forget-me' && event.args[0] === 'confirm');
        if (confirmedForget) forget(event.actor);
      })).catch((err: unknown) => log('sparring: handling a Slack event failed', err)).finally(taken);
    });

  /** Slack's id of this delivery: a retry (x-slack-retry-num) carries the same one, and the core takes it once. */
  const eventIdOf = (body: unknown): { eventId?: string } => {
    const id = (body as { event_id?: unknown }).event_id;
    return typeof id === 'string' ? { eventId: id } : {};
  };

  /** Is this thread the one the actor's active session lives in? */
  const ownsThread = async (actor: Actor, room: ConversationRef): Promise<boolean> => {
    if (!room.thread) return false;
    const owner = await state.threadOwner({ platform: 'slack', workspace: room.workspace, channel: room.channel, thread: room.thread });
    if (owner !== actor.userId) return false;
    const session = await bot.sessionConversation(actor, room);
    return session !== undefined && sameRoom(session, room);
  };

  /** `/sparring hint` typed in the channel acts on, and answers in, the session's thread there. */
  const sessionRoom = async (actor: Actor, room: ConversationRef): Promise<ConversationRef> => {
    if (room.thread || isDirect(room.channel)) return room;
    const c = await bot.sessionConversation(actor, room);
    return c && c.platform === 'slack' && c.workspace === room.workspace && c.channel === room.channel ? c : room;
  };

  /**
   * `/sparring drill end` typed in the channel acts on the drill open in that channel's thread:
   * a slash command never says which thread it was typed in, so the drill thread of each
   * channel is remembered when its opener is posted (see DRILL_THREAD_KEY in deliver.ts).
   */
  const drillRoom = async (room: ConversationRef): Promise<ConversationRef> => {
    if (room.thread) return room;
    const thread = await state.threadOwner({ platform: 'slack', workspace: room.workspace, channel: room.channel, thread: DRILL_THREAD_KEY });
    const there = thread ? { ...room, thread } : undefined;
    return there && (await bot.listensIn(there)) ? there : room;
  };

  /** Where the registry says a command acts: where it was typed, on the open session, or on the room's drill. */
  const commandRoom = async (actor: Actor, room: ConversationRef, name: string, args: string[]): Promise<ConversationRef> => {
    const kind = roomKind(name, args);
    return kind === 'anywhere' ? room : kind === 'drill' ? drillRoom(room) : sessionRoom(actor, room);
  };

  // `mock <@U123|cara>`: the mention carries the candidate's name, which their messages will not.
  const learnPeople = async (workspace: string, people: readonly PersonRef[] = []) => {
    for (const p of people) if (p.displayName) await learn(actorOf(workspace, p.userId, p.displayName));
  };

  /** A command typed as a message, with the people it names when its arguments name people. */
  const typedEvent = async (cmd: { name: string; args: string[] }, msg: { actor: Actor; people: PersonRef[] }) => {
    const people = namesPeople(cmd.name) && msg.people.length ? msg.people : undefined;
    await learnPeople(msg.actor.workspace, people);
    return { kind: 'command' as const, ...cmd, ...(people ? { people } : {}) };
  };

  app.command(/.*/, async ({ ack, body, client, respond }) => {
    await ack();
    const event = parseSlashCommand(body);
    if (!event || event.kind !== 'command') return;
    await learn(event.actor);
    await learnPeople(event.actor.workspace, event.people);
    const conversation = await commandRoom(event.actor, event.conversation, event.name, event.args);
    await run(client, { ...event, conversation }, {
      respond: (text) => respond({ response_type: 'ephemeral', text }),
    });
  });

  app.event('message', async ({ event, body, client }) => {
    const team = (body as { team_id?: string }).team_id;
    const raw = event as { user?: string };
    if (!team) return;
    const msg = parseMessage(event, team, deps.botUserId, raw.user ? await nameOf(team, raw.user) : undefined);
    if (!msg) return;
    const inDrill = await bot.listensIn(msg.conversation);
    if (!msg.direct) {
      // A mention arrives twice (message + app_mention); the app_mention listener owns it.
      if (msg.mentionsBot || !(inDrill || (await ownsThread(msg.actor, msg.conversation)))) return;
    }
    // In a drill only `drill …` is a command; "skip that" or "end the rollout" is talk to record.
    const cmd = inDrill ? typedDrillCommand(msg.text) : typedCommand(msg.text);
    const base = { actor: msg.actor, conversation: msg.conversation, ...eventIdOf(body) };
    await run(client, cmd ? { ...(await typedEvent(cmd, msg)), ...base } : { kind: 'message', text: msg.text, ...base });
  });

  app.event('app_mention', async ({ event, body, client }) => {
    const team = (body as { team_id?: string }).team_id;
    if (!team) return;
    const msg = parseMessage({ ...event, channel_type: 'channel' }, team, deps.botUserId, event.user ? await nameOf(team, event.user) : undefined);
    if (!msg) return;
    const base = { actor: msg.actor, conversation: msg.conversation, ...eventIdOf(body) };
    const inDrill = await bot.listensIn(msg.conversation);
    const cmd = inDrill ? typedDrillCommand(msg.text) : typedCommand(msg.text, { addressed: !msg.conversation.thread });
    if (cmd) await run(client, { ...(await typedEvent(cmd, msg)), ...base, conversation: await commandRoom(msg.actor, msg.conversation, cmd.name, cmd.args) });
    else if (inDrill || (await ownsThread(msg.actor, msg.conversation))) await run(client, { kind: 'message', text: msg.text, ...base });
    // Addressed but not a command and not an answer: say privately what the bot can do.
    else await run(client, { kind: 'command', name: 'help', args: [], ...base });
  });

  app.action({ type: 'block_actions' }, async ({ ack, body, client, respond }) => {
    await ack();
    const parsed = parseBlockAction(body);
    if (!parsed) {
      // A button posted before an upgrade no longer reads as an action: say so rather than do nothing.
      if ((body as { response_url?: unknown }).response_url) await respond({ response_type: 'ephemeral', replace_original: false, text: STALE_BUTTON });
      return;
    }
    const { event, triggerId } = parsed;
    await learn(event.actor);
    const room = event.conversation;
    if (actsOnSession(event.action) && room.thread && !isDirect(room.channel) && !(await ownsThread(event.actor, room))) {
      const notice = { to: room, visibility: { onlyFor: event.actor }, text: NOT_YOURS, role: 'info' as const };
      await deliver(delivery(client), [notice]);
      return;
    }
    await run(client, event, triggerId ? { triggerId } : {});
  });

  app.view({ type: 'view_submission' }, async ({ ack, body, client }) => {
    // Acking closes the modal at once; the scorecard follows in the thread.
    await ack();
    const event = parseViewSubmission(body);
    if (!event) return;
    await learn(event.actor);
    await run(client, event);
  });

  /** The progress chart for App Home, uploaded (privately, shared nowhere) only when it changed. */
  const homeChart = async (client: Delivery['client'], actor: Actor): Promise<HomeChart | undefined> => {
    const image = await bot.progressChart(actor);
    if (!image) return undefined;
    const key = `${actor.workspace}:${actor.userId}`;
    const png = Buffer.from(image.png);
    const hash = createHash('sha256').update(png).digest('hex');
    const known = charts.get(key);
    if (known?.hash === hash) return known.chart;
    const fileId = await uploadImage(client, { name: image.name, png, alt: image.alt });
    if (!fileId) return undefined;
    const chart = { fileId, alt: image.alt };
    charts.set(key, { hash, chart });
    return chart;
  };

  app.event('app_home_opened', async ({ event, body, client }) => {
    const team = (body as { team_id?: string }).team_id;
    if (event.tab !== 'home' || !team) return;
    const actor = actorOf(team, event.user, await nameOf(team, event.user));
    const chart = await homeChart(client, actor).catch((err: unknown) => void log('sparring: could not upload the App Home chart', err));
    try {
      await client.views.publish({ user_id: event.user, view: renderHome(await bot.progress(actor), chart) });
    } catch (err) {
      // An image Slack will not show (a file still processing) must not cost the whole tab.
      if (!chart) throw err;
      charts.delete(`${team}:${event.user}`);
      await client.views.publish({ user_id: event.user, view: renderHome(await bot.progress(actor)) });
    }
  });

  app.error(async (err) => log('sparring: error in a Slack listener', err));
}
