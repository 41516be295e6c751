import { ChannelType, MessageFlags, type Client, type RepliableInteraction } from 'discord.js';
import type { Bot } from '../../core/bot.js';
import type { PlatformState } from '../../core/kernel/platform-state.js';
import type { Actor, ConversationRef, Reply } from '../../core/kernel/types.js';
import { DM_WORKSPACE, sameConversation, targetChannelId } from './parse.js';
import type { KnownChoice } from './commands.js';
import { renderReply, type DiscordMessage } from './render.js';
import { isPermissionError, openCandidateThread, openPublicThread, openThread, PUBLIC_THREAD_NOTE } from './threads.js';

/** Nothing the bot sends may ping anyone: not @everyone, not a role, not a user quoted in an answer. */
export const NO_MENTIONS = { parse: [] as [] };

export type Log = (message: string, err?: unknown) => void;

/** Where an event came from, and the interaction to answer through when there is one. */
export type Origin = {
  actor: Actor;
  room: ConversationRef;
  /** Deferred already; replies go through editReply (first) and followUp. */
  interaction?: RepliableInteraction;
  /** The deferral was ephemeral: only private replies belong in it. */
  ephemeral?: boolean;
};

export const roomKey = (c: ConversationRef) => `${c.workspace}/${c.channel}/${c.thread ?? ''}`;
const key = roomKey;

/** The core's name for "a private conversation with this user" (a mock's candidate): `@<userId>`. */
const directUser = (c: ConversationRef): string | undefined => (c.channel.startsWith('@') ? c.channel.slice(1) : undefined);

const CANNOT_POST = "I can't post in that channel (I am missing the **Send Messages** or **View Channel** permission there), so here it is instead:";

export function createDelivery(deps: {
  client: () => Client;
  bot: Pick<Bot, 'moveConversation' | 'listensIn'>;
  /** Whose session each thread the bot opened holds (others typing there are not answering), and people's names. */
  state: Pick<PlatformState, 'threadOwner' | 'setThreadOwner' | 'displayName'>;
  log: Log;
}) {
  const { bot, state, log } = deps;
  /** What each drill room last offered: its roles and its open decision's options, for autocomplete. */
  const roles = new Map<string, KnownChoice[]>();
  const decisions = new Map<string, KnownChoice[]>();

  /** A DM or a private thread: only the candidate (and the bot) read it, so private replies may be posted there. */
  function isPrivateRoom(c: ConversationRef): boolean {
    if (c.workspace === DM_WORKSPACE) return true;
    return Boolean(c.thread) && deps.client().channels.cache.get(c.thread!)?.type === ChannelType.PrivateThread;
  }

  /** Private for this user: a private thread held for someone else (a candidate) is not the place for a panel's notes. */
  const isPrivateRoomFor = async (c: ConversationRef, userId: string): Promise<boolean> =>
    isPrivateRoom(c) && (!c.thread || ((await state.threadOwner({ ...c, thread: c.thread })) ?? userId) === userId);

  async function postToChannel(channelId: string, msg: DiscordMessage): Promise<void> {
    const client = deps.client();
    const channel = client.channels.cache.get(channelId) ?? (await client.channels.fetch(channelId));
    if (!channel?.isSendable()) throw new Error(`channel ${channelId} cannot receive messages`);
    await channel.send({ ...msg, allowedMentions: NO_MENTIONS });
  }

  async function postToUser(userId: string, msg: DiscordMessage): Promise<void> {
    await deps.client().users.send(userId, { ...msg, allowedMentions: NO_MENTIONS });
  }

  /** Answers an interaction: the first message edits the deferred reply, the rest follow up. */
  function interactionSender(origin: Origin) {
    let edited = false;
    return {
      get used() {
        return edited;
      },
      async send(msg: DiscordMessage, private_: boolean): Promise<void> {
        const i = origin.interaction!;
        // In a DM or the candidate's private thread everything is private already; no vanishing messages.
        const ephemeral = private_ && Boolean(origin.ephemeral);
        if (!edited && (ephemeral || !origin.ephemeral)) {
          edited = true;
          await i.editReply({ ...msg, allowedMentions: NO_MENTIONS });
          return;
        }
        await i.followUp({ ...msg, allowedMentions: NO_MENTIONS, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
      },
    };
  }

  /** Remembers the roles and decision options a drill room was offered, for /drill autocomplete. */
  function remember(to: ConversationRef, reply: Reply): void {
    const actions = reply.actions ?? [];
    const joins = actions.filter((a) => a.id.startsWith('drill-join-'));
    if (joins.length) roles.set(key(to), [...joins.map((a) => ({ name: a.label.replace(/^Join as /, ''), value: a.value ?? a.id.slice('drill-join-'.length) })), { name: 'All roles (one person plays them all)', value: 'all' }]);
    const options = actions.filter((a) => a.id.startsWith('drill-decide-'));
    if (options.length) decisions.set(key(to), options.map((a) => ({ name: a.label, value: a.value ?? a.id.slice('drill-decide-'.length) })));
    else if (/^\*\*Decision:\*\*/.test(reply.text)) decisions.delete(key(to));
  }

  /**
   * Delivers the core's replies. Every send is caught and logged: a rate limit, a missing
   * permission or a deleted channel costs one message, never the session or the process.
   *
   * Private replies go, in order of preference: into the interaction of the person they are for
   * (ephemeral), into a room only that person reads (a DM, their private thread), or by DM. A
   * reply for someone else (a mock's panel, while the candidate answers) never goes through the
   * candidate's interaction, so the candidate cannot see it.
   */
  async function deliver(replies: Reply[], origin?: Origin): Promise<void> {
    const redirect = new Map<string, ConversationRef>();
    /** Rooms that could not be opened: their replies are not posted anywhere else. */
    const unopened = new Set<string>();
    const viaInteraction = origin?.interaction ? interactionSender(origin) : undefined;

    const safely = async (what: string, job: () => Promise<void>) => {
      try {
        await job();
      } catch (err) {
        log(`sparring: could not deliver ${what}`, err);
      }
    };
    const tellPrivately = (msg: DiscordMessage) =>
      viaInteraction ? safely('a private reply', () => viaInteraction.send(msg, true)) : Promise.resolve();

    /** Opens the room a session asked for and moves it there; undefined when it stays where it is. */
    async function openRoom(reply: Reply, from: ConversationRef, o: Origin): Promise<ConversationRef | undefined> {
      const client = deps.client();
      const candidateId = directUser(from);
      if (candidateId) {
        // moveConversation records the name it is given: ask Discord rather than write an id over a real name.
        const name = (await state.displayName({ platform: 'discord', workspace: from.workspace, userId: candidateId })) ?? (await client.users.fetch(candidateId).then((u) => u.globalName ?? u.username, () => undefined));
        const candidate = { platform: 'discord' as const, workspace: from.workspace, userId: candidateId, displayName: name ?? candidateId, isBot: false };
        let ref: ConversationRef | undefined;
        if (from.workspace === DM_WORKSPACE) {
          // Started from a DM, the interview is DM to DM: both sides are already DM identities.
          const dm = await client.users.createDM(candidateId).catch((err: unknown) => void log('sparring: could not open a DM for a mock interview', err));
          if (dm) ref = { ...from, channel: dm.id };
          else await tellPrivately({ content: `I could not send ${candidate.displayName} a direct message (they may not accept DMs from server members).` });
        } else {
          const opened = await openCandidateThread(client, { ...from, channel: o.room.channel }, candidate, log);
          if (opened.ok) {
            ref = opened.ref;
            await state.setThreadOwner({ ...ref, thread: ref.thread! }, candidateId);
            await tellPrivately({ content: `${candidate.displayName}'s mock interview is in <#${ref.thread}>: a private thread only they and I are in. Their answers reach you as private scorecards.` });
          } else await tellPrivately({ content: opened.message });
        }
        if (ref) await bot.moveConversation(candidate, from, ref);
        return ref;
      }
      if (from.workspace === DM_WORKSPACE) return undefined;
      // A drill's opening reply (a drill is now open in this room): the team gets a public thread.
      if (/^\*\*Drill: /.test(reply.text) && (await bot.listensIn(from))) {
        const title = /\*\*Drill: ([^*\n]+)\*\*/.exec(reply.text)?.[1]?.trim() ?? 'Incident drill';
        const opened = await openPublicThread(client, from, `Drill · ${title}`, `**Drill: ${title}**, facilitated by ${o.actor.displayName}. Join in the thread.`, log);
        if (!opened.ok) {
          await tellPrivately({ content: opened.message });
          return undefined;
        }
        await bot.moveConversation(o.actor, from, opened.ref);
        await tellPrivately({ content: `The drill is in <#${opened.ref.thread}>.` });
        return opened.ref;
      }
      const opened = await openThread(client, from, o.actor, log).catch((err: unknown) => {
        log('sparring: opening a thread failed', err);
        return { ok: false as const, message: 'I could not open a thread for your session; it stays here for now.' };
      });
      if (!opened.ok) {
        await tellPrivately({ content: opened.message });
        return undefined;
      }
      await bot.moveConversation(o.actor, from, opened.ref);
      await state.setThreadOwner({ ...opened.ref, thread: opened.ref.thread! }, o.actor.userId);
      await tellPrivately({ content: `Your practice session is in <#${opened.ref.thread}>.` });
      if (!opened.private) await safely('the public-thread note', () => postToChannel(opened.ref.thread!, { content: PUBLIC_THREAD_NOTE }));
      return opened.ref;
    }

    for (const reply of replies) {
      if (reply.to.platform !== 'discord') continue;
      if (unopened.has(key(reply.to))) continue;
      let to = redirect.get(key(reply.to)) ?? reply.to;

      if (reply.opensConversation && origin && !to.thread) {
        const from = to;
        const opened = await openRoom(reply, from, origin);
        if (opened) {
          redirect.set(key(from), opened);
          to = opened;
        } else if (directUser(from)) {
          unopened.add(key(from));
          continue;
        }
      }
      remember(to, reply);

      const isPrivate = reply.visibility !== 'public';
      const owner = reply.visibility === 'public' ? directUser(to) ?? origin?.actor.userId ?? '' : reply.visibility.onlyFor.userId;
      // Only the person an interaction belongs to may be answered through it.
      const interaction = !isPrivate || owner === origin?.actor.userId ? viaInteraction : undefined;
      const here = origin ? sameConversation(to, origin.room) : false;
      const route =
        interaction && here && (isPrivate || !origin!.ephemeral) ? 'interaction'
        : isPrivate && !(await isPrivateRoomFor(to, owner)) ? (interaction ? 'interaction' : 'dm')
        : directUser(to) ? 'dm'
        : 'channel';
      // By DM on a server's behalf, buttons say which server they act in.
      const rendered = renderReply(reply, route === 'dm' && to.workspace !== DM_WORKSPACE ? { workspace: to.workspace } : {});
      for (const msg of rendered) {
        if (route === 'interaction') await safely('an interaction reply', () => interaction!.send(msg, isPrivate || !here));
        else if (route === 'dm') await safely('a direct message', () => postToUser(owner, msg));
        else {
          await safely('a channel message', async () => {
            try {
              await postToChannel(targetChannelId(to), msg);
            } catch (err) {
              if (!interaction || !isPermissionError(err)) throw err;
              // A followup is a webhook, so it reaches the user even where the bot may not post.
              await interaction.send({ ...msg, content: `${CANNOT_POST}\n${msg.content ?? ''}`.slice(0, 2000) }, true);
            }
          });
        }
      }
    }

    // A deferral left unanswered would spin forever ("Sparring is thinking…").
    if (origin?.interaction && viaInteraction && !viaInteraction.used) {
      await safely('the end of an interaction', () => origin.interaction!.deleteReply().then(() => undefined));
    }
  }

  return {
    deliver,
    isPrivateRoom,
    /** The roles (`role`) or open decision's options (`option`) a drill room last offered. */
    choicesFor: (c: ConversationRef, option: 'role' | 'option'): KnownChoice[] | undefined => (option === 'role' ? roles : decisions).get(key(c)),
  };
}
