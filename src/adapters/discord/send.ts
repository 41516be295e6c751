import { ChannelType, MessageFlags, type Client, type RepliableInteraction } from 'discord.js';
import type { Bot } from '../../core/bot.js';
import type { Actor, ConversationRef, Reply } from '../../core/types.js';
import { DM_WORKSPACE, sameConversation, targetChannelId } from './parse.js';
import { renderReply, type DiscordMessage } from './render.js';
import { isPermissionError, openThread, PUBLIC_THREAD_NOTE } from './threads.js';

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

const key = (c: ConversationRef) => `${c.workspace}/${c.channel}/${c.thread ?? ''}`;

const CANNOT_POST = "I can't post in that channel (I am missing the **Send Messages** or **View Channel** permission there), so here it is instead:";

export function createDelivery(deps: { client: () => Client; bot: Bot; log: Log }) {
  const { bot, log } = deps;
  /** Threads opened in this process and whose session they hold: others typing there are not answering. */
  const threadOwners = new Map<string, string>();

  /** A DM or a private thread: only the candidate (and the bot) read it, so private replies may be posted there. */
  function isPrivateRoom(c: ConversationRef): boolean {
    if (c.workspace === DM_WORKSPACE) return true;
    return Boolean(c.thread) && deps.client().channels.cache.get(c.thread!)?.type === ChannelType.PrivateThread;
  }

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

  /**
   * Delivers the core's replies. Every send is caught and logged: a rate limit, a missing
   * permission or a deleted channel costs one message, never the session or the process.
   */
  async function deliver(replies: Reply[], origin?: Origin): Promise<void> {
    const redirect = new Map<string, ConversationRef>();
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

    for (const reply of replies) {
      if (reply.to.platform !== 'discord') continue;
      let to = redirect.get(key(reply.to)) ?? reply.to;

      if (reply.opensConversation && origin && !to.thread && to.workspace !== DM_WORKSPACE) {
        const from = to;
        const opened = await openThread(deps.client(), from, origin.actor, log).catch((err: unknown) => {
          log('sparring: opening a thread failed', err);
          return { ok: false as const, message: 'I could not open a thread for your session; it stays here for now.' };
        });
        if (opened.ok) {
          bot.moveConversation(origin.actor, from, opened.ref);
          threadOwners.set(opened.ref.thread!, origin.actor.userId);
          redirect.set(key(from), opened.ref);
          to = opened.ref;
          await tellPrivately({ content: `Your practice session is in <#${opened.ref.thread}>.` });
          if (!opened.private) await safely('the public-thread note', () => postToChannel(opened.ref.thread!, { content: PUBLIC_THREAD_NOTE }));
        } else {
          await tellPrivately({ content: opened.message });
        }
      }

      const owner = reply.visibility === 'public' ? origin?.actor.userId ?? '' : reply.visibility.onlyFor.userId;
      const isPrivate = reply.visibility !== 'public';
      const here = origin ? sameConversation(to, origin.room) : false;
      for (const msg of renderReply(reply)) {
        if (viaInteraction && here && (isPrivate || !origin!.ephemeral)) {
          await safely('an interaction reply', () => viaInteraction.send(msg, isPrivate));
        } else if (isPrivate && !isPrivateRoom(to)) {
          // Feedback is the candidate's own: never posted where others read, even without an interaction.
          if (viaInteraction) await safely('a private reply', () => viaInteraction.send(msg, true));
          else await safely('a direct message', () => postToUser(owner, msg));
        } else {
          await safely('a channel message', async () => {
            try {
              await postToChannel(targetChannelId(to), msg);
            } catch (err) {
              if (!viaInteraction || !isPermissionError(err)) throw err;
              // A followup is a webhook, so it reaches the user even where the bot may not post.
              await viaInteraction.send({ ...msg, content: `${CANNOT_POST}\n${msg.content ?? ''}`.slice(0, 2000) }, true);
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

  return { deliver, isPrivateRoom, threadOwners };
}
