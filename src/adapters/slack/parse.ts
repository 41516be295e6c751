/**
 * Slack payloads -> IncomingEvent. Pure functions over the request bodies Bolt hands us,
 * validated with zod so a payload shape we do not expect is ignored instead of crashing.
 * Actor.workspace is always the team id, so two workspaces never share a user or a session.
 */
import { z } from 'zod';
import { namesPeople, typedCommandOf } from '../../core/commands.js';
import { decodeAction, decodeForm } from '../../core/kernel/actions.js';
import type { Actor, ConversationRef, IncomingEvent, PersonRef } from '../../core/kernel/types.js';
import { actionIdOf, decodeActionValue, decodeViewMeta } from './envelope.js';
import { FORM_CALLBACK_PREFIX } from './render.js';
import { fromSlackText } from './text.js';

/**
 * A direct conversation with the app: an IM (D…) or a user id (U…/W…), which is how a click
 * in App Home addresses the app's DM. There, private replies are ordinary messages.
 */
export const isDirect = (channel: string): boolean => /^[DUW]/.test(channel);

export const actorOf = (workspace: string, userId: string, displayName?: string): Actor => ({
  platform: 'slack',
  workspace,
  userId,
  displayName: displayName || userId,
  isBot: false,
});

export const roomOf = (workspace: string, channel: string, thread?: string): ConversationRef => ({
  platform: 'slack',
  workspace,
  channel,
  ...(thread ? { thread } : {}),
});

export type CommandText = { name: string; args: string[] };

/** A user mention as Slack sends it with should_escape: `<@U123|ana>` or `<@U123>`. */
const MENTION = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/;

/** The user mentions in a command's raw text, so the adapter can learn their names. */
export function mentionsIn(text: string): { userId: string; name?: string }[] {
  return (text.match(/<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g) ?? []).flatMap((token) => {
    const m = MENTION.exec(token);
    return m ? [{ userId: m[1]!, ...(m[2] ? { name: m[2] } : {}) }] : [];
  });
}

/**
 * `/sparring practice drift 2`: the first word is the subcommand; nothing at all means help.
 * Text is made readable (entities, links) except that a command whose arguments name people
 * (the registry says which: `mock`) keeps user mentions whole, so `mock <@U123|cara>` names a
 * user id rather than a display name; parseSlashCommand passes those people on as data.
 */
export function slashCommandText(text: string): CommandText {
  const tokens = text.trim().match(/<[^<>]*>|[^\s<]+|</g) ?? [];
  const readable = (token: string) => fromSlackText(token).trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = tokens;
  const name = (first ? readable(first)[0] : undefined)?.toLowerCase() ?? 'help';
  const keep = namesPeople(name);
  const args = rest.flatMap((t) => (keep && MENTION.test(t) ? [t] : readable(t)));
  return { name, args };
}

/**
 * A command typed as a message ("hint", "/skip", "practice drift", "drill end"). Strict on
 * purpose so an answer is never mistaken for one: a known command word, alone, except
 * `practice` which takes up to three choices, `drill <verb>` with up to two more words,
 * `mock <verb> …` and `forget-me confirm`. "End to end testing…" stays an answer, and so
 * does "drill down into the metrics". Addressed to the bot (a mention), `drill <scenario>` counts.
 * The words and limits are the core registry's (`src/core/commands.ts`).
 */
export function typedCommand(text: string, opts: { addressed?: boolean } = {}): CommandText | undefined {
  return typedCommandOf(text, opts);
}

/** In a drill's thread only `drill …` is a command: "skip" or "end" there is talk, and recorded. */
export function typedDrillCommand(text: string): CommandText | undefined {
  const cmd = typedCommand(text);
  return cmd?.name === 'drill' ? cmd : undefined;
}

const SlashBody = z.object({
  team_id: z.string(),
  channel_id: z.string(),
  user_id: z.string(),
  user_name: z.string().optional(),
  text: z.string().default(''),
});

const personOf = (m: { userId: string; name?: string }): PersonRef => ({ userId: m.userId, ...(m.name ? { displayName: m.name } : {}) });

/** The people a command's kept mentions name, in order, with the name each mention carried. */
export function peopleOf(args: readonly string[]): PersonRef[] {
  return args.flatMap((a) => (MENTION.test(a) ? mentionsIn(a).map(personOf) : []));
}

export function parseSlashCommand(body: unknown): IncomingEvent | undefined {
  const b = SlashBody.safeParse(body);
  if (!b.success) return undefined;
  const { team_id, channel_id, user_id, user_name, text } = b.data;
  const command = slashCommandText(text);
  const people = namesPeople(command.name) ? peopleOf(command.args) : [];
  return { kind: 'command', ...command, ...(people.length ? { people } : {}), actor: actorOf(team_id, user_id, user_name), conversation: roomOf(team_id, channel_id) };
}

const MessageEvent = z.object({
  subtype: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().default(''),
  channel: z.string(),
  channel_type: z.string().optional(),
  thread_ts: z.string().optional(),
});

/** Edits, joins, deletions and the like are not answers; a broadcast thread reply and a file with a caption are. */
const ANSWER_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

export type SlackMessageIn = {
  actor: Actor;
  conversation: ConversationRef;
  /** What the person typed, mentions and entities made readable. */
  text: string;
  direct: boolean;
  mentionsBot: boolean;
  /** Everyone the message mentions but the bot, for a typed command that names people (`mock panel 3 @omar`). */
  people: PersonRef[];
};

/** A person's message, or undefined for anything a bot (this one included) or Slack itself sent. */
export function parseMessage(event: unknown, teamId: string, botUserId: string | undefined, displayName?: string): SlackMessageIn | undefined {
  const e = MessageEvent.safeParse(event);
  if (!e.success || !ANSWER_SUBTYPES.has(e.data.subtype) || e.data.bot_id || !e.data.user || e.data.user === botUserId) return undefined;
  const { user, text, channel, channel_type, thread_ts } = e.data;
  return {
    actor: actorOf(teamId, user, displayName),
    conversation: roomOf(teamId, channel, thread_ts),
    text: fromSlackText(botUserId ? text.replaceAll(`<@${botUserId}>`, '') : text).trim(),
    direct: channel_type === 'im' || isDirect(channel),
    mentionsBot: botUserId !== undefined && text.includes(`<@${botUserId}>`),
    people: mentionsIn(text).filter((m) => m.userId !== botUserId).map(personOf),
  };
}

const ActionBody = z.object({
  team: z.object({ id: z.string() }).nullish(),
  user: z.object({ id: z.string(), name: z.string().optional(), username: z.string().optional(), team_id: z.string().optional() }),
  channel: z.object({ id: z.string() }).nullish(),
  container: z.object({ channel_id: z.string().optional(), thread_ts: z.string().optional(), message_ts: z.string().optional() }).nullish(),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).nullish(),
  trigger_id: z.string().optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

export type SlackActionIn = { event: Extract<IncomingEvent, { kind: 'action' }>; triggerId?: string };

export function parseBlockAction(body: unknown): SlackActionIn | undefined {
  const b = ActionBody.safeParse(body);
  if (!b.success) return undefined;
  const { team, user, channel, container, message, trigger_id, actions } = b.data;
  const workspace = team?.id ?? user.team_id;
  if (!workspace) return undefined;
  const clicked = actions[0]!;
  const action = decodeAction(actionIdOf(clicked.action_id));
  if (!action) return undefined;
  const env = decodeActionValue(clicked.value);
  const messageTs = message?.ts ?? container?.message_ts;
  const thread = env.t ?? (env.o ? messageTs : (message?.thread_ts ?? container?.thread_ts));
  // A click in App Home has no channel: the session goes to the app's DM with the user.
  const where = channel?.id ?? container?.channel_id ?? env.c ?? user.id;
  return {
    event: {
      kind: 'action',
      action,
      actor: actorOf(workspace, user.id, user.name ?? user.username),
      conversation: roomOf(workspace, where, thread),
    },
    ...(trigger_id ? { triggerId: trigger_id } : {}),
  };
}

const ViewBody = z.object({
  team: z.object({ id: z.string() }).nullish(),
  user: z.object({ id: z.string(), name: z.string().optional(), username: z.string().optional(), team_id: z.string().optional() }),
  view: z.object({
    callback_id: z.string(),
    private_metadata: z.string().optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullish() }))) }),
  }),
});

export function parseViewSubmission(body: unknown): Extract<IncomingEvent, { kind: 'submit' }> | undefined {
  const b = ViewBody.safeParse(body);
  if (!b.success || !b.data.view.callback_id.startsWith(FORM_CALLBACK_PREFIX)) return undefined;
  const { team, user, view } = b.data;
  const workspace = team?.id ?? user.team_id;
  const meta = decodeViewMeta(view.private_metadata);
  const form = decodeForm(view.callback_id.slice(FORM_CALLBACK_PREFIX.length));
  if (!workspace || !meta || !form) return undefined;
  const fields: Record<string, string> = {};
  for (const block of Object.values(view.state.values)) {
    for (const [id, input] of Object.entries(block)) fields[id] = input.value ?? '';
  }
  return {
    kind: 'submit',
    form,
    fields,
    actor: actorOf(workspace, user.id, user.name ?? user.username),
    conversation: roomOf(workspace, meta.c, meta.t),
  };
}
