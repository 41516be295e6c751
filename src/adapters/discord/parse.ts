import { ChannelType, type Channel, type ChatInputCommandInteraction, type ModalSubmitInteraction, type User } from 'discord.js';
import type { Actor, ConversationRef } from '../../core/types.js';

/** Our buttons' custom ids start with this, so clicks on anything else are not ours to answer. */
export const ACTION_PREFIX = 'sparring:';
export const FORM_PREFIX = 'sparring-form:';
/** Discord caps custom ids at 100 characters. */
const CUSTOM_ID_MAX = 100;

export function actionCustomId(actionId: string, value?: string): string {
  return `${ACTION_PREFIX}${actionId}${value === undefined ? '' : `:${value}`}`.slice(0, CUSTOM_ID_MAX);
}

export function parseActionId(customId: string): { actionId: string; value?: string } | undefined {
  if (!customId.startsWith(ACTION_PREFIX)) return undefined;
  const rest = customId.slice(ACTION_PREFIX.length);
  const colon = rest.indexOf(':');
  return colon < 0 ? { actionId: rest } : { actionId: rest.slice(0, colon), value: rest.slice(colon + 1) };
}

export function parseFormId(customId: string): string | undefined {
  return customId.startsWith(FORM_PREFIX) ? customId.slice(FORM_PREFIX.length) : undefined;
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

export const isPrivateThread = (channel: Channel | null | undefined): boolean => channel?.type === ChannelType.PrivateThread;

/** /practice options become the words `practice` already understands: track, question id, count. */
export function commandArgs(interaction: ChatInputCommandInteraction): string[] {
  if (interaction.commandName !== 'practice') return [];
  const args: string[] = [];
  const question = interaction.options.getString('question');
  const track = interaction.options.getString('track');
  const count = interaction.options.getInteger('questions');
  // A named question is a session of its own; a track alongside it would only confuse the plan.
  if (question) args.push(question.trim());
  else if (track) args.push(track.trim());
  if (count !== null && !question) args.push(String(count));
  return args;
}

export function modalFields(interaction: ModalSubmitInteraction): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [id, field] of interaction.fields.fields) {
    if ('value' in field && typeof field.value === 'string') fields[id] = field.value;
  }
  return fields;
}
