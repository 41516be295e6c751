import type { Channel, ChatInputCommandInteraction, ModalSubmitInteraction, User } from 'discord.js';
import type { ArgSpec } from '../../core/command-args.js';
import { commandSpec, pickerVerbs } from '../../core/commands.js';
import { decodeAction, decodeForm, encodeAction, encodeForm, type Action, type ActionKind, type FormPayload } from '../../core/kernel/actions.js';
import type { Actor, ConversationRef, PersonRef } from '../../core/kernel/types.js';

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

const memberName = (member: unknown): string | undefined =>
  member && typeof member === 'object' ? ((member as { displayName?: string; nick?: string | null }).displayName ?? (member as { nick?: string | null }).nick ?? undefined) : undefined;

/** A user option as a person, with the name this server shows for them, so the core knows it before they ever speak. */
export function personOf(interaction: ChatInputCommandInteraction, option: string): PersonRef | undefined {
  const user = interaction.options.getUser(option);
  const id = user?.id ?? interaction.options.get(option)?.value;
  if (id === undefined || id === null || id === '') return undefined;
  const name = (memberName(interaction.options.getMember(option)) || user?.globalName || user?.username || '').trim().slice(0, 80);
  return { userId: String(id), ...(name ? { displayName: name } : {}) };
}

/**
 * A slash command as the text command it stands for, by the registry's arguments:
 * `/drill join role:scribe` is `drill join scribe`, `/mock start candidate:@cara` is
 * `mock @<id>` with Cara among the people. A subcommand is its verb's word unless the verb is
 * typed without one (`open` is `drill <scenario>`).
 */
export function commandOf(interaction: ChatInputCommandInteraction): { args: string[]; people: PersonRef[] } {
  const o = interaction.options;
  const spec = commandSpec(interaction.commandName);
  if (!spec) return { args: [], people: [] };
  const hasSubs = pickerVerbs(spec).length > 0;
  const verb = hasSubs ? spec.verbs?.find((v) => v.name === o.getSubcommand(false)) : undefined;
  // No subcommand at all: the bare command, which means its default (`drill` is status, `mock` help).
  if (hasSubs && !verb) return { args: [], people: [] };
  const specs = (verb ? verb.args : spec.args) ?? [];
  const text = (arg: ArgSpec) => o.getString(arg.name)?.trim() || undefined;
  const given = (arg: ArgSpec) => (arg.kind === 'number' ? o.getInteger(arg.name) !== null : arg.kind === 'person' ? o.get(arg.name) !== null : text(arg) !== undefined);
  const dropped = new Set(specs.filter(given).flatMap((a) => a.supersedes ?? []));
  const args: string[] = verb && !verb.implicit ? [verb.name] : [];
  const people: PersonRef[] = [];
  for (const arg of specs) {
    if (dropped.has(arg.name) || !given(arg)) continue;
    if (arg.kind === 'person') {
      const person = personOf(interaction, arg.name);
      if (!person) continue;
      people.push(person);
      // Only where the person stood: who it is travels in `people`.
      args.push(`@${person.userId}`);
    } else if (arg.kind === 'number') {
      const n = String(o.getInteger(arg.name));
      args.push(...(arg.flag ? [arg.flag, n] : [n]));
    } else {
      const value = text(arg)!;
      args.push(arg.multiword ? value : value.split(/\s+/).join('-'));
    }
  }
  return { args, people };
}

/** `/mock <@123> …` typed as a message: the people its mentions name, by the names this message shows for them. */
export function mentionedPeople(args: readonly string[], nameOf: (userId: string) => string | undefined): PersonRef[] {
  return args.flatMap((a) => {
    const id = /^<@!?(\d+)>$/.exec(a)?.[1];
    const name = id && nameOf(id);
    return id ? [{ userId: id, ...(name ? { displayName: name } : {}) }] : [];
  });
}

export function modalFields(interaction: ModalSubmitInteraction): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [id, field] of interaction.fields.fields) {
    if ('value' in field && typeof field.value === 'string') fields[id] = field.value;
  }
  return fields;
}
