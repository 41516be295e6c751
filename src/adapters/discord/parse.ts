import type { Channel, ChatInputCommandInteraction, ModalSubmitInteraction, User } from 'discord.js';
import { decodeAction, decodeForm, encodeAction, encodeForm, type Action, type ActionKind, type FormPayload } from '../../core/kernel/actions.js';
import type { Actor, ConversationRef } from '../../core/kernel/types.js';

/** Our buttons' custom ids start with this, so clicks on anything else are not ours to answer. */
export const ACTION_PREFIX = 'sparring:';
export const FORM_PREFIX = 'sparring-form:';
/** Discord caps custom ids (and select option values) at 100 characters. */
export const CUSTOM_ID_MAX = 100;

/**
 * Buttons and forms sent by DM on behalf of a server (a mock's panel scorecard) carry that
 * server's id, `sparring@<guild>:…`: a click in a DM would otherwise act as the user's DM
 * identity, which is a different user. Discord user ids are global, so this only ever picks
 * which of the clicker's own identities acts; it is honoured in DMs only.
 */
const scoped = (prefix: string, workspace?: string) => (workspace ? `${prefix.slice(0, -1)}@${workspace}:` : prefix);

function unscope(customId: string, prefix: string): { rest: string; workspace?: string } | undefined {
  if (customId.startsWith(prefix)) return { rest: customId.slice(prefix.length) };
  const m = new RegExp(`^${prefix.slice(0, -1)}@(\\d+):`).exec(customId);
  return m ? { rest: customId.slice(m[0].length), workspace: m[1]! } : undefined;
}

/** A cut id would decode as another button or nothing at all: one that cannot fit is a bug to see, not to hide. */
export function withinLimit(id: string): string {
  if (id.length > CUSTOM_ID_MAX) throw new Error(`Discord custom id of ${id.length} characters is over its ${CUSTOM_ID_MAX}: ${id.slice(0, 40)}…`);
  return id;
}

const withWorkspace = <T extends object>(value: T, workspace?: string): T & { workspace?: string } => (workspace ? { ...value, workspace } : value);

/** Ours, whether or not it still decodes (a button from before an upgrade does not). */
export const isOurActionId = (customId: string): boolean => unscope(customId, ACTION_PREFIX) !== undefined;

export const actionCustomId = (action: Action, workspace?: string): string => withinLimit(`${scoped(ACTION_PREFIX, workspace)}${encodeAction(action)}`);

export function parseActionId(customId: string): { action: Action; workspace?: string } | undefined {
  const u = unscope(customId, ACTION_PREFIX);
  const action = u && decodeAction(u.rest);
  return action && withWorkspace({ action }, u.workspace);
}

/** A select menu names the kind of its choices; each option's value is a whole action, so the pick needs no merging. */
export const menuCustomId = (kind: ActionKind, workspace?: string): string => withinLimit(`${scoped(ACTION_PREFIX, workspace)}${kind}`);

export const menuOptionValue = (action: Action): string => withinLimit(encodeAction(action));

export function parseMenuPick(customId: string, value: string | undefined): { action: Action; workspace?: string } | undefined {
  const u = unscope(customId, ACTION_PREFIX);
  const action = u && value !== undefined ? decodeAction(value) : undefined;
  return action && withWorkspace({ action }, u?.workspace);
}

export const formCustomId = (form: FormPayload, workspace?: string): string => withinLimit(`${scoped(FORM_PREFIX, workspace)}${encodeForm(form)}`);

export function parseFormId(customId: string): { form: FormPayload; workspace?: string } | undefined {
  const u = unscope(customId, FORM_PREFIX);
  const form = u && decodeForm(u.rest);
  return form && withWorkspace({ form }, u.workspace);
}

/** Every guild is its own workspace; all DMs share one, so a DM history is kept apart from any server's. */
export const DM_WORKSPACE = 'dm';

export function actorOf(user: User, guildId: string | null, displayName?: string | null): Actor {
  return {
    platform: 'discord',
    workspace: guildId ?? DM_WORKSPACE,
    userId: user.id,
    displayName: displayName || user.globalName || user.username,
    isBot: user.bot,
  };
}

/**
 * Where an event happened. A thread is addressed as its parent channel plus the thread id, as
 * ConversationRef asks; the channel may be a partial when Discord did not send the full object.
 */
export function conversationOf(guildId: string | null, channelId: string, channel: Channel | null | undefined): ConversationRef {
  const base = { platform: 'discord' as const, workspace: guildId ?? DM_WORKSPACE };
  if (channel?.isThread() && channel.parentId) return { ...base, channel: channel.parentId, thread: channel.id };
  return { ...base, channel: channelId };
}

/** The channel id messages for a conversation go to: the thread when there is one. */
export const targetChannelId = (c: ConversationRef): string => c.thread ?? c.channel;

export const sameConversation = (a: ConversationRef, b: ConversationRef): boolean =>
  a.workspace === b.workspace && a.channel === b.channel && (a.thread ?? '') === (b.thread ?? '');

/** A user option as the mention `mock` reads, `<@id|name>`, so the core knows the name before that user ever speaks. */
export function mentionOf(interaction: ChatInputCommandInteraction, option: string): string {
  const user = interaction.options.getUser(option);
  const id = user?.id ?? String(interaction.options.get(option)?.value ?? '');
  const member = interaction.options.getMember(option);
  const name = (memberName(member) || user?.globalName || user?.username || '').replace(/[|>\n]/g, '').trim().slice(0, 80);
  return name ? `<@${id}|${name}>` : `<@${id}>`;
}

const memberName = (member: unknown): string | undefined =>
  member && typeof member === 'object' ? ((member as { displayName?: string; nick?: string | null }).displayName ?? (member as { nick?: string | null }).nick ?? undefined) : undefined;

/** Track, question and count as the words `practice` and `mock` already understand. */
function selectionArgs(interaction: ChatInputCommandInteraction, countFlag: boolean): string[] {
  const args: string[] = [];
  const question = interaction.options.getString('question');
  const track = interaction.options.getString('track');
  const count = interaction.options.getInteger('questions');
  // A named question is a session of its own; a track alongside it would only confuse the plan.
  if (question) args.push(question.trim());
  else if (track) args.push(track.trim());
  if (count !== null && !question) args.push(...(countFlag ? ['--questions', String(count)] : [String(count)]));
  return args;
}

/** A slash command's options as the words its text command takes: `/drill join role:scribe` is `drill join scribe`. */
export function commandArgs(interaction: ChatInputCommandInteraction): string[] {
  const o = interaction.options;
  switch (interaction.commandName) {
    case 'practice':
      return selectionArgs(interaction, false);
    case 'drill': {
      const verb = o.getSubcommand(false) ?? 'status';
      const word = (name: string) => o.getString(name)?.trim().split(/\s+/).join('-') || undefined;
      if (verb === 'open') return [word('scenario') ?? ''];
      const arg = verb === 'join' ? word('role') : verb === 'release' ? word('inject') : verb === 'decide' ? o.getString('option')?.trim() : undefined;
      return arg ? [verb, arg] : [verb];
    }
    case 'mock': {
      const verb = o.getSubcommand(false) ?? 'help';
      const id = () => String(o.getInteger('id') ?? '');
      switch (verb) {
        case 'start':
          return [mentionOf(interaction, 'candidate'), ...selectionArgs(interaction, true)];
        case 'show':
        case 'release':
        case 'end':
          return [verb, id()];
        case 'panel':
          return [verb, id(), mentionOf(interaction, 'user')];
        case 'score': {
          const notes = o.getString('notes')?.trim();
          return [verb, id(), String(o.getInteger('question') ?? ''), String(o.getInteger('score') ?? ''), ...(notes ? [notes] : [])];
        }
        default:
          return [verb];
      }
    }
    default:
      return [];
  }
}

export function modalFields(interaction: ModalSubmitInteraction): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [id, field] of interaction.fields.fields) {
    if ('value' in field && typeof field.value === 'string') fields[id] = field.value;
  }
  return fields;
}
