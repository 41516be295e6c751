/**
 * Sends the core's replies through Slack's Web API, in order, by the shared delivery policy:
 * private replies are ephemeral in channels and ordinary messages in the person's own DM. A
 * reply that opens a room is posted at the top of the channel and its thread becomes the room
 * (from App Home, the DM the message actually landed in); a direct room (a mock interview's
 * candidate) is the person's DM with the app (conversations.open). The replies after an opener
 * follow it, and the receipts tell the core where the session or drill now lives. Images (a
 * progress chart) are uploaded with files.uploadV2; ephemeral messages cannot carry files, so a
 * private chart goes to the person's DM.
 */
import type { types, webApi } from '@slack/bolt';
import type { PlatformState } from '../../core/kernel/platform-state.js';
import { directRecipient } from '../../core/kernel/rooms.js';
import type { Actor, ConversationRef, Person, Receipt, Reply } from '../../core/kernel/types.js';
import { joinScorecards, onlyForOf, privateRoute } from '../delivery-policy.js';
import { isDirect, roomOf } from './parse.js';
import { renderForm, renderReply } from './render.js';
import { toMrkdwn } from './text.js';

export type Delivery = {
  client: webApi.WebClient;
  state: Pick<PlatformState, 'setThreadOwner'>;
  log: (message: string, err?: unknown) => void;
  /** Display names the adapter has seen (commands, clicks, mentions), for people named only by id. */
  nameOf?: (workspace: string, userId: string) => Promise<string | undefined>;
};

export type DeliverOptions = {
  /** Who caused these replies: the session that opens a thread is theirs. */
  actor?: Actor;
  /** From a click: lets a form open as a modal (valid for 3 seconds). */
  triggerId?: string;
  /** A slash command's response_url: the only way to answer where the bot cannot post. */
  respond?: (text: string) => Promise<unknown>;
};

const roomKey = (c: ConversationRef) => `${c.workspace}/${c.channel}/${c.thread ?? ''}`;

/**
 * Slack cannot search threads by channel and a slash command typed in a thread arrives with
 * the channel only, so the thread of the drill open in a channel is remembered as the "owner"
 * of this pseudo thread in the platform state, with the drill thread's ts in place of a user.
 */
export const DRILL_THREAD_KEY = 'drill';

/** Errors that mean "the bot cannot post here at all": the rest of the batch would fail too. */
const NOWHERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);
/** Errors of an ephemeral message for someone who is not there: their DM is the private place left. */
const NOT_THERE = new Set(['user_not_in_channel', 'not_in_channel', 'channel_not_found', 'is_archived']);
const CANNOT_POST =
  'I cannot post in this conversation. Invite me with `/invite @Sparring`, or open my Messages tab and practise there.';

const slackError = (err: unknown): string | undefined => (err as { data?: { error?: string } })?.data?.error;

/** The app's DM with a user (needs im:write). */
export async function openDm(client: webApi.WebClient, userId: string): Promise<string> {
  const res = await client.conversations.open({ users: userId });
  const id = res.channel?.id;
  if (!id) throw new Error(`conversations.open gave no channel for ${userId}`);
  return id;
}

/**
 * Delivers a batch and returns its receipts (the rooms it opened) for `Bot.applyReceipts`: the
 * replies after an opener follow it here, and the core learns of the move once the batch is out.
 */
export async function deliver(d: Delivery, replies: Reply[], opts: DeliverOptions = {}): Promise<Receipt[]> {
  const receipts: Receipt[] = [];
  const moved = new Map<string, ConversationRef>();
  /** Rooms the bot cannot post in: their other replies are skipped, the rest of the batch still goes out. */
  const nowhere = new Set<string>();
  // A DM is theirs only when they are the one acting in it (see post()).
  const theirs = (r: Reply, userId: string) => isDirect(r.to.channel) && opts.actor?.userId === userId;
  for (const reply of await joinScorecards(replies, theirs)) {
    if (reply.to.platform !== 'slack') continue;
    let to = moved.get(roomKey(reply.to)) ?? reply.to;
    if (nowhere.has(roomKey(to))) continue;
    try {
      const recipient = directRecipient(to);
      if (recipient) {
        const dm = roomOf(to.workspace, await openDm(d.client, recipient));
        if (reply.opens) receipts.push({ room: reply.opens, owner: await personOf(d, to.workspace, recipient, reply), from: reply.to, to: dm });
        moved.set(roomKey(reply.to), dm);
        to = dm;
      }
      if (reply.form) await openForm(d, reply, to, opts);
      else {
        const landed = await post(d, reply, to, opts);
        if (landed && reply.opens && opts.actor && roomKey(landed) !== roomKey(to)) {
          receipts.push({ room: reply.opens, owner: opts.actor, from: reply.to, to: landed });
          moved.set(roomKey(reply.to), landed);
          if (landed.thread) {
            await d.state.setThreadOwner({ ...landed, thread: landed.thread }, opts.actor.userId);
            if (reply.opens.kind === 'drill') await d.state.setThreadOwner({ ...landed, thread: DRILL_THREAD_KEY }, landed.thread);
          }
        }
      }
      if (reply.attachments?.length) await attach(d, reply, to, opts);
    } catch (err) {
      if (NOWHERE.has(slackError(err) ?? '') && opts.respond) {
        // Said once, through the command's response_url; a candidate's DM later in the batch still gets its question.
        if (nowhere.size === 0) await opts.respond(CANNOT_POST).catch((e: unknown) => d.log('sparring: slack response_url failed', e));
        nowhere.add(roomKey(to));
        continue;
      }
      d.log(`sparring: could not deliver a reply to Slack (${slackError(err) ?? (err as Error)?.message})`, err);
    }
  }
  return receipts;
}

/** The person a direct room belongs to, with the best display name known (never overwritten by the bare id when avoidable). */
async function personOf(d: Delivery, workspace: string, userId: string, reply: Reply): Promise<Actor> {
  const named: Person | undefined = reply.opens?.kind === 'direct' ? reply.opens.person : undefined;
  const known = named && named.displayName !== named.userId ? named.displayName : undefined;
  const name = known ?? (await d.nameOf?.(workspace, userId));
  return { platform: 'slack', workspace, userId, displayName: name || userId, isBot: false };
}

/** Posts one reply; for a conversation opener, returns where the session now lives. */
async function post(d: Delivery, reply: Reply, to: ConversationRef, opts: DeliverOptions): Promise<ConversationRef | undefined> {
  const direct = isDirect(to.channel);
  const onlyFor = onlyForOf(reply);
  const common = { unfurl_links: false, unfurl_media: false } as const;

  if (reply.opens && !onlyFor && !to.thread) {
    const message = renderReply(reply, { channel: to.channel, opensThread: !direct });
    const res = await d.client.chat.postMessage({ channel: to.channel, ...message, ...common });
    const channel = res.channel ?? to.channel;
    // In a DM the conversation is already the session's own room; in a channel it gets a thread.
    return direct ? roomOf(to.workspace, channel) : roomOf(to.workspace, channel, res.ts);
  }

  // Ephemeral messages cannot carry files: say where the chart went.
  const note: types.KnownBlock[] =
    onlyFor && !direct && reply.attachments?.length
      ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: toMrkdwn('_The chart is in your direct messages with me._'), verbatim: true }] }]
      : [];
  const message = renderReply(reply, { channel: to.channel, ...(to.thread ? { thread: to.thread } : {}) }, note);
  const thread = to.thread ? { thread_ts: to.thread } : {};
  // A DM is theirs only when they are the one acting in it: a panel member's scorecard while the
  // manager works from the manager's DM goes to the panel member's own. In a channel, an
  // ephemeral message reaches its members.
  const route = onlyFor ? privateRoute({ roomIsTheirs: direct && opts.actor?.userId === onlyFor.userId, ephemeralReaches: !direct }) : 'room';
  if (onlyFor && route === 'dm') {
    await d.client.chat.postMessage({ channel: onlyFor.userId, ...renderReply(reply, { channel: onlyFor.userId }), ...common });
  } else if (onlyFor && route === 'ephemeral') {
    try {
      await d.client.chat.postEphemeral({ channel: to.channel, user: onlyFor.userId, ...thread, ...message });
    } catch (err) {
      // Someone else's private reply (a panel member not in the manager's channel) goes to their DM.
      if (onlyFor.userId === opts.actor?.userId || !NOT_THERE.has(slackError(err) ?? '')) throw err;
      await d.client.chat.postMessage({ channel: onlyFor.userId, ...renderReply(reply, { channel: onlyFor.userId }), ...common });
    }
  } else {
    await d.client.chat.postMessage({ channel: to.channel, ...thread, ...message, ...common });
  }
  return undefined;
}

/** Uploads a reply's images beside it: into its conversation when public, into the person's DM when private. */
async function attach(d: Delivery, reply: Reply, to: ConversationRef, opts: DeliverOptions): Promise<void> {
  const onlyFor = onlyForOf(reply);
  let channel: string;
  let thread: string | undefined;
  if (onlyFor) {
    channel = to.channel.startsWith('D') && opts.actor?.userId === onlyFor.userId ? to.channel : await openDm(d.client, onlyFor.userId);
  } else {
    channel = /^[UW]/.test(to.channel) ? await openDm(d.client, to.channel) : to.channel;
    thread = to.thread;
  }
  for (const a of reply.attachments ?? []) {
    const file = {
      file: Buffer.from(a.base64, 'base64'),
      filename: a.name,
      title: a.name.replace(/\.png$/i, '').replace(/[-_]/g, ' '),
      alt_text: a.alt.slice(0, 1000),
    };
    await d.client.filesUploadV2(thread ? { ...file, channel_id: channel, thread_ts: thread } : { ...file, channel_id: channel });
  }
}

/** Uploads an image shared with no conversation (for App Home's image block); returns its file id. */
export async function uploadImage(client: webApi.WebClient, image: { name: string; png: Buffer; alt: string }): Promise<string | undefined> {
  const res = (await client.filesUploadV2({ file: image.png, filename: image.name, alt_text: image.alt.slice(0, 1000) })) as { files?: { files?: { id?: string }[] }[] };
  return res.files?.[0]?.files?.[0]?.id;
}

async function openForm(d: Delivery, reply: Reply, to: ConversationRef, opts: DeliverOptions): Promise<void> {
  const form = reply.form!;
  const { submits } = form;
  try {
    if (!opts.triggerId) throw new Error('no trigger id');
    await d.client.views.open({ trigger_id: opts.triggerId, view: renderForm(form, { c: to.channel, ...(to.thread ? { t: to.thread } : {}) }) });
  } catch (err) {
    // A trigger expires 3 seconds after the click; typing the answer always works instead.
    d.log(`sparring: could not open the form (${slackError(err) ?? (err as Error).message})`);
    const fallback: Reply = submits.for === 'mock-score'
      ? { ...reply, form: undefined, text: `The score form could not open. Type \`/sparring mock score ${submits.mock} ${submits.question} <0-100> [notes]\` instead.` }
      : { ...reply, form: undefined, text: 'The answer form could not open. Type your answer as a reply here instead.' };
    await post(d, fallback, to, opts);
  }
}
