/**
 * Sends the core's replies through Slack's Web API, in order. Private replies are ephemeral in
 * channels and ordinary messages in a DM; a reply that opens a conversation is posted at the
 * top of the channel and the session moves into its thread (or, from App Home, into the DM
 * the message actually landed in), and the replies after it follow it there.
 */
import type { webApi } from '@slack/bolt';
import type { Bot } from '../../core/bot.js';
import type { Actor, ConversationRef, Reply } from '../../core/types.js';
import type { EventLog } from '../../store/event-log.js';
import { isDirect, roomOf } from './parse.js';
import { renderForm, renderReply } from './render.js';

export type Delivery = {
  client: webApi.WebClient;
  bot: Pick<Bot, 'moveConversation'>;
  events: Pick<EventLog, 'rememberThread'>;
  log: (message: string, err?: unknown) => void;
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

/** Errors that mean "the bot cannot post here at all": the rest of the batch would fail too. */
const NOWHERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);
const CANNOT_POST =
  'I cannot post in this conversation. Invite me with `/invite @Sparring`, or open my Messages tab and practise there.';

const slackError = (err: unknown): string | undefined => (err as { data?: { error?: string } })?.data?.error;

export async function deliver(d: Delivery, replies: Reply[], opts: DeliverOptions = {}): Promise<void> {
  const moved = new Map<string, ConversationRef>();
  for (const reply of replies) {
    if (reply.to.platform !== 'slack') continue;
    const to = moved.get(roomKey(reply.to)) ?? reply.to;
    try {
      if (reply.form) await openForm(d, reply, to, opts);
      else {
        const landed = await post(d, reply, to);
        if (landed && opts.actor && roomKey(landed) !== roomKey(to)) {
          d.bot.moveConversation(opts.actor, reply.to, landed);
          moved.set(roomKey(reply.to), landed);
          if (landed.thread) d.events.rememberThread({ platform: 'slack', workspace: landed.workspace, channel: landed.channel, thread: landed.thread }, opts.actor.userId);
        }
      }
    } catch (err) {
      if (NOWHERE.has(slackError(err) ?? '') && opts.respond) {
        await opts.respond(CANNOT_POST).catch((e: unknown) => d.log('sparring: slack response_url failed', e));
        return;
      }
      d.log(`sparring: could not deliver a reply to Slack (${slackError(err) ?? (err as Error)?.message})`, err);
    }
  }
}

/** Posts one reply; for a conversation opener, returns where the session now lives. */
async function post(d: Delivery, reply: Reply, to: ConversationRef): Promise<ConversationRef | undefined> {
  const direct = isDirect(to.channel);
  const onlyFor = reply.visibility === 'public' ? undefined : reply.visibility.onlyFor;
  const common = { unfurl_links: false, unfurl_media: false } as const;

  if (reply.opensConversation && !onlyFor && !to.thread) {
    const message = renderReply(reply, { channel: to.channel, opensThread: !direct });
    const res = await d.client.chat.postMessage({ channel: to.channel, ...message, ...common });
    const channel = res.channel ?? to.channel;
    // In a DM the conversation is already the session's own room; in a channel it gets a thread.
    return direct ? roomOf(to.workspace, channel) : roomOf(to.workspace, channel, res.ts);
  }

  const message = renderReply(reply, { channel: to.channel, ...(to.thread ? { thread: to.thread } : {}) });
  const thread = to.thread ? { thread_ts: to.thread } : {};
  if (onlyFor && !direct) {
    await d.client.chat.postEphemeral({ channel: to.channel, user: onlyFor.userId, ...thread, ...message });
  } else {
    await d.client.chat.postMessage({ channel: to.channel, ...thread, ...message, ...common });
  }
  return undefined;
}

async function openForm(d: Delivery, reply: Reply, to: ConversationRef, opts: DeliverOptions): Promise<void> {
  const form = reply.form!;
  try {
    if (!opts.triggerId) throw new Error('no trigger id');
    await d.client.views.open({ trigger_id: opts.triggerId, view: renderForm(form, { c: to.channel, ...(to.thread ? { t: to.thread } : {}) }) });
  } catch (err) {
    // A trigger expires 3 seconds after the click; typing the answer always works instead.
    d.log(`sparring: could not open the answer form (${slackError(err) ?? (err as Error).message})`);
    const fallback: Reply = { ...reply, form: undefined, text: 'The answer form could not open. Type your answer as a reply here instead.' };
    await post(d, fallback, to);
  }
}
