import { ChannelType, DiscordAPIError, RESTJSONErrorCodes, ThreadAutoArchiveDuration, type Client, type ThreadChannel } from 'discord.js';
import type { Actor, ConversationRef } from '../../core/kernel/types.js';
import { NO_MENTIONS } from './mentions.js';

/** Errors that mean "the bot lacks a permission or cannot see the channel": the user is told, nothing crashes. */
export function isPermissionError(err: unknown): boolean {
  return (
    err instanceof DiscordAPIError &&
    (err.code === RESTJSONErrorCodes.MissingPermissions || err.code === RESTJSONErrorCodes.MissingAccess || err.status === 403)
  );
}

export const THREAD_PERMISSION_MESSAGE =
  "I can't open a thread for your session in this channel: I need the **Create Private Threads** (or **Create Public Threads**) " +
  'and **Send Messages in Threads** permissions here. Ask a server admin to grant them, or use `/practice` in a DM with me. ' +
  'For now the session stays here: use the buttons, and **Answer in a form** to reply.';

export const PUBLIC_THREAD_NOTE =
  'This server does not let me open a private thread, so this thread is public. Your scorecards stay private: ' +
  'answers typed here are graded by DM, and answers sent with **Answer in a form** are graded in a message only you can see.';

export type OpenedThread = { ok: true; ref: ConversationRef; private: boolean } | { ok: false; message: string };

/** Thread names are capped at 100 characters. */
const threadName = (actor: Actor) => `Practice · ${actor.displayName}`.slice(0, 100);

/**
 * A session gets a room of its own: a private thread (only the candidate and the bot, nobody
 * else can be invited), or, where the server does not allow that, a public thread started from
 * a short message in the channel.
 */
export async function openThread(
  client: Client,
  at: ConversationRef,
  actor: Actor,
  log: (message: string, err?: unknown) => void,
): Promise<OpenedThread> {
  const parent = client.channels.cache.get(at.channel) ?? (await client.channels.fetch(at.channel).catch(() => null));
  if (!parent || parent.type !== ChannelType.GuildText) {
    // Forums, voice and announcement channels have other thread rules; the session stays where it is.
    return { ok: false, message: 'Practice sessions open a thread in a text channel; this one cannot hold one. Use a text channel, or a DM with me.' };
  }
  const refFor = (thread: ThreadChannel, isPrivate: boolean): OpenedThread => ({
    ok: true,
    ref: { ...at, thread: thread.id },
    private: isPrivate,
  });

  let created: ThreadChannel | undefined;
  try {
    created = await parent.threads.create({
      name: threadName(actor),
      type: ChannelType.PrivateThread,
      invitable: false,
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      reason: `Sparring practice session for ${actor.displayName}`,
    });
    // Mentions are off everywhere, so the candidate is added explicitly rather than by a ping.
    await created.members.add(actor.userId);
    return refFor(created, true);
  } catch (err) {
    log(`sparring: private thread not possible in channel ${at.channel}; trying a public thread`, err);
    if (created) await created.delete().catch(() => undefined);
  }
  try {
    const starter = await parent.send({ content: `${actor.displayName} started a practice session.`, allowedMentions: NO_MENTIONS });
    const thread = await starter.startThread({ name: threadName(actor), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    return refFor(thread, false);
  } catch (err) {
    if (!isPermissionError(err)) log(`sparring: could not open a thread in channel ${at.channel}`, err);
    return { ok: false, message: THREAD_PERMISSION_MESSAGE };
  }
}

async function textParent(client: Client, channelId: string) {
  const parent = client.channels.cache.get(channelId) ?? (await client.channels.fetch(channelId).catch(() => null));
  return parent?.type === ChannelType.GuildText ? parent : undefined;
}

export const DRILL_THREAD_PERMISSION_MESSAGE =
  "I can't open a thread for the drill in this channel: I need the **Create Public Threads** and **Send Messages in Threads** " +
  'permissions here. The drill runs in this channel for now; everything said here is recorded while it is open.';

/**
 * A drill is a team's room: a public thread started from a short message in the channel, so
 * everyone who sees the channel sees the drill and can join it.
 */
export async function openPublicThread(
  client: Client,
  at: ConversationRef,
  name: string,
  starterText: string,
  log: (message: string, err?: unknown) => void,
): Promise<OpenedThread> {
  const parent = await textParent(client, at.channel);
  if (!parent) return { ok: false, message: 'Drills open a thread in a text channel; this one cannot hold one, so the drill runs here.' };
  try {
    const starter = await parent.send({ content: starterText.slice(0, 2000), allowedMentions: NO_MENTIONS });
    const thread = await starter.startThread({ name: name.slice(0, 100), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    return { ok: true, ref: { ...at, thread: thread.id }, private: false };
  } catch (err) {
    if (!isPermissionError(err)) log(`sparring: could not open a drill thread in channel ${at.channel}`, err);
    return { ok: false, message: DRILL_THREAD_PERMISSION_MESSAGE };
  }
}

export const CANDIDATE_THREAD_PERMISSION_MESSAGE =
  "I can't open a private thread for the candidate in this channel: I need the **Create Private Threads** and " +
  '**Send Messages in Threads** permissions here (a mock interview is never held in public). Ask a server admin, ' +
  'then end this one with `/mock end` and start again.';

/**
 * A mock interview's room: a private thread in the manager's channel with only the candidate
 * added (not the manager, not by a ping). A DM would put the candidate in another workspace,
 * and so make them another user; a public thread would show their answers to the channel.
 */
export async function openCandidateThread(
  client: Client,
  at: ConversationRef,
  candidate: { userId: string; displayName: string },
  log: (message: string, err?: unknown) => void,
): Promise<OpenedThread> {
  const parent = await textParent(client, at.channel);
  if (!parent) return { ok: false, message: 'Mock interviews open a private thread in a text channel; start it from one.' };
  let created: ThreadChannel | undefined;
  try {
    created = await parent.threads.create({
      name: `Mock interview · ${candidate.displayName}`.slice(0, 100),
      type: ChannelType.PrivateThread,
      invitable: false,
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      reason: `Sparring mock interview for ${candidate.displayName}`,
    });
    await created.members.add(candidate.userId);
    return { ok: true, ref: { ...at, thread: created.id }, private: true };
  } catch (err) {
    if (!isPermissionError(err)) log(`sparring: could not open a private thread for a mock interview in channel ${at.channel}`, err);
    if (created) await created.delete().catch(() => undefined);
    return { ok: false, message: CANDIDATE_THREAD_PERMISSION_MESSAGE };
  }
}
