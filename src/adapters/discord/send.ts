import { ChannelType, MessageFlags, type Client, type RepliableInteraction } from 'discord.js';
import type { PlatformState } from '../../core/kernel/platform-state.js';
import { directRecipient } from '../../core/kernel/rooms.js';
import type { Actor, ConversationRef, Person, Receipt, Reply, Room } from '../../core/kernel/types.js';
import { privateRoute } from '../delivery-policy.js';
import { DM_WORKSPACE, sameConversation, targetChannelId } from './parse.js';
import { NO_MENTIONS } from './mentions.js';
import { renderReply, type DiscordMessage } from './render.js';
import { isPermissionError, openCandidateThread, openPublicThread, openThread, PUBLIC_THREAD_NOTE } from './threads.js';

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

const CANNOT_POST = "I can't post in that channel (I am missing the **Send Messages** or **View Channel** permission there), so here it is instead:";

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

type InteractionSender = ReturnType<typeof interactionSender>;

/** What one call to deliver shares between its replies. */
type Batch = {
  origin: Origin | undefined;
  /** Rooms a session moved out of in this batch, and where to: the replies after follow it. */
  redirect: Map<string, ConversationRef>;
  /** Rooms that could not be opened: their replies are not posted anywhere else. */
  unopened: Set<string>;
  /** The rooms this batch opened, for the core once the batch is out. */
  receipts: Receipt[];
  viaInteraction: InteractionSender | undefined;
  /** Runs one send, logging its failure: one lost message never stops the batch. */
  safely: (what: string, job: () => Promise<void>) => Promise<void>;
  /** Tells the person who acted, through their interaction (nothing when there is none). */
  tellPrivately: (msg: DiscordMessage) => Promise<void>;
};

/** How one reply travels: through the interaction, by DM to its owner, or posted in the room. */
type Route = 'interaction' | 'dm' | 'channel';
type Plan = {
  route: Route;
  isPrivate: boolean;
  /** Whom the reply is for: the DM recipient, and whose interaction may carry it. */
  owner: string;
  interaction: InteractionSender | undefined;
  /** The reply goes to the room the interaction came from. */
  here: boolean;
};

/** A room delivery opened, and whose session or drill moves into it. */
type Opened = { ref: ConversationRef; owner: Actor };

/** By DM on a server's behalf, buttons say which server they act in. */
const renderFor = (reply: Reply, plan: Plan, to: ConversationRef): DiscordMessage[] =>
  renderReply(reply, plan.route === 'dm' && to.workspace !== DM_WORKSPACE ? { workspace: to.workspace } : {});

export function createDelivery(deps: {
  client: () => Client;
  /** Whose session each thread the bot opened holds (others typing there are not answering), and people's names. */
  state: Pick<PlatformState, 'threadOwner' | 'setThreadOwner' | 'displayName'>;
  log: Log;
}) {
  const { state, log } = deps;

  /** A DM or a private thread: only the candidate (and the bot) read it, so private replies may be posted there. */
  function isPrivateRoom(c: ConversationRef): boolean {
    if (c.workspace === DM_WORKSPACE) return true;
    return Boolean(c.thread) && deps.client().channels.cache.get(c.thread!)?.type === ChannelType.PrivateThread;
  }

  /**
   * Private for this user: a private thread held for someone else (a candidate) is not the place
   * for a panel's notes, and a DM is theirs only when they are the one acting in it (a panel
   * member's scorecard while the manager works from the manager's DM goes to their own DM).
   */
  async function isPrivateRoomFor(c: ConversationRef, userId: string, origin: Pick<Origin, 'actor' | 'room'> | undefined): Promise<boolean> {
    if (!isPrivateRoom(c)) return false;
    if (c.thread) return ((await state.threadOwner({ ...c, thread: c.thread })) ?? userId) === userId;
    return origin !== undefined && origin.actor.userId === userId && sameConversation(c, origin.room);
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

  /**
   * Delivers the core's replies. Every send is caught and logged: a rate limit, a missing
   * permission or a deleted channel costs one message, never the session or the process.
   *
   * Private replies go, in order of preference: into the interaction of the person they are for
   * (ephemeral), into a room only that person reads (a DM, their private thread), or by DM. A
   * reply for someone else (a mock's panel, while the candidate answers) never goes through the
   * candidate's interaction, so the candidate cannot see it.
   */
  async function deliver(replies: Reply[], origin?: Origin): Promise<Receipt[]> {
    const batch = startBatch(origin);
    for (const reply of replies) {
      if (reply.to.platform !== 'discord') continue;
      const to = await resolveTarget(batch, reply);
      if (!to) continue;
      const plan = await planRoute(batch, reply, to);
      for (const msg of renderFor(reply, plan, to)) await sendByRoute(batch, plan, to, msg);
    }
    await closeInteraction(batch);
    return batch.receipts;
  }

  function startBatch(origin: Origin | undefined): Batch {
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
    return { origin, redirect: new Map(), unopened: new Set(), receipts: [], viaInteraction, safely, tellPrivately };
  }

  /**
   * The room a reply goes to: where its conversation moved earlier in this batch, or the room it
   * opens now. Undefined drops the reply: a candidate's room that could not be opened must not
   * fall back to the manager's channel.
   */
  async function resolveTarget(batch: Batch, reply: Reply): Promise<ConversationRef | undefined> {
    if (batch.unopened.has(key(reply.to))) return undefined;
    const to = batch.redirect.get(key(reply.to)) ?? reply.to;
    if (!reply.opens || !batch.origin || to.thread) return to;
    const opened = await openRoom(batch, reply.opens, to, batch.origin);
    if (opened) {
      batch.receipts.push({ room: reply.opens, owner: opened.owner, from: reply.to, to: opened.ref });
      batch.redirect.set(key(to), opened.ref);
      return opened.ref;
    }
    if (directRecipient(to)) {
      batch.unopened.add(key(to));
      return undefined;
    }
    return to;
  }

  /** Opens the room a reply asked for; undefined when the reply stays where it is. */
  async function openRoom(batch: Batch, room: Room, from: ConversationRef, o: Origin): Promise<Opened | undefined> {
    if (room.kind === 'direct') return openDirectRoom(batch, from, room.person, o);
    if (from.workspace === DM_WORKSPACE) return undefined;
    const ref = room.kind === 'drill' ? await openDrillRoom(batch, room.title, from, o) : await openPracticeRoom(batch, from, o);
    return ref && { ref, owner: o.actor };
  }

  /** A mock interview's candidate: DM to DM when started from a DM, else a private thread in the manager's channel. */
  async function openDirectRoom(batch: Batch, from: ConversationRef, person: Person, o: Origin): Promise<Opened | undefined> {
    const client = deps.client();
    const { tellPrivately } = batch;
    const candidateId = person.userId;
    // The receipt records the name it is given: when the core knows only the id, ask rather than write an id over a real name.
    const name = person.displayName !== candidateId ? person.displayName : (await state.displayName({ platform: 'discord', workspace: from.workspace, userId: candidateId })) ?? (await client.users.fetch(candidateId).then((u) => u.globalName ?? u.username, () => undefined));
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
    return ref && { ref, owner: candidate };
  }

  /** A drill's opening reply: the team gets a public thread named after it. */
  async function openDrillRoom(batch: Batch, title: string, from: ConversationRef, o: Origin): Promise<ConversationRef | undefined> {
    const opened = await openPublicThread(deps.client(), from, `Drill · ${title}`, `**Drill: ${title}**, facilitated by ${o.actor.displayName}. Join in the thread.`, log);
    if (!opened.ok) {
      await batch.tellPrivately({ content: opened.message });
      return undefined;
    }
    await batch.tellPrivately({ content: `The drill is in <#${opened.ref.thread}>.` });
    return opened.ref;
  }

  async function openPracticeRoom(batch: Batch, from: ConversationRef, o: Origin): Promise<ConversationRef | undefined> {
    const opened = await openThread(deps.client(), from, o.actor, log).catch((err: unknown) => {
      log('sparring: opening a thread failed', err);
      return { ok: false as const, message: 'I could not open a thread for your session; it stays here for now.' };
    });
    if (!opened.ok) {
      await batch.tellPrivately({ content: opened.message });
      return undefined;
    }
    await state.setThreadOwner({ ...opened.ref, thread: opened.ref.thread! }, o.actor.userId);
    await batch.tellPrivately({ content: `Your practice session is in <#${opened.ref.thread}>.` });
    if (!opened.private) await batch.safely('the public-thread note', () => postToChannel(opened.ref.thread!, { content: PUBLIC_THREAD_NOTE }));
    return opened.ref;
  }

  /** The delivery rules: which way one reply travels, decided once for all its messages. */
  async function planRoute(batch: Batch, reply: Reply, to: ConversationRef): Promise<Plan> {
    const { origin } = batch;
    const isPrivate = reply.visibility !== 'public';
    const owner = reply.visibility === 'public' ? directRecipient(to) ?? origin?.actor.userId ?? '' : reply.visibility.onlyFor.userId;
    // Only the person an interaction belongs to may be answered through it.
    const interaction = !isPrivate || owner === origin?.actor.userId ? batch.viaInteraction : undefined;
    const here = origin ? sameConversation(to, origin.room) : false;
    const policy = isPrivate ? privateRoute({ roomIsTheirs: await isPrivateRoomFor(to, owner, origin), ephemeralReaches: Boolean(interaction) }) : 'room';
    const route: Route =
      interaction && here && (isPrivate || !origin!.ephemeral) ? 'interaction'
      : policy === 'ephemeral' ? 'interaction'
      : policy === 'dm' || directRecipient(to) ? 'dm'
      : 'channel';
    return { route, isPrivate, owner, interaction, here };
  }

  async function sendByRoute(batch: Batch, plan: Plan, to: ConversationRef, msg: DiscordMessage): Promise<void> {
    const { interaction } = plan;
    if (plan.route === 'interaction') return batch.safely('an interaction reply', () => interaction!.send(msg, plan.isPrivate || !plan.here));
    if (plan.route === 'dm') return batch.safely('a direct message', () => postToUser(plan.owner, msg));
    return batch.safely('a channel message', async () => {
      try {
        await postToChannel(targetChannelId(to), msg);
      } catch (err) {
        if (!interaction || !isPermissionError(err)) throw err;
        // A followup is a webhook, so it reaches the user even where the bot may not post.
        await interaction.send({ ...msg, content: `${CANNOT_POST}\n${msg.content ?? ''}`.slice(0, 2000) }, true);
      }
    });
  }

  /** A deferral left unanswered would spin forever ("Sparring is thinking…"). */
  async function closeInteraction(batch: Batch): Promise<void> {
    const { origin, viaInteraction } = batch;
    if (origin?.interaction && viaInteraction && !viaInteraction.used) {
      await batch.safely('the end of an interaction', () => origin.interaction!.deleteReply().then(() => undefined));
    }
  }

  return {
    deliver,
    isPrivateRoomFor,
  };
}
