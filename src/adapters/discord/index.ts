import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChannelType,
  Client,
  Events,
  GatewayIntentBits,
  GuildMember,
  MessageFlags,
  Partials,
  type ButtonInteraction,
  type Interaction,
  type Message,
} from 'discord.js';
import type { Catalog } from '../../content/load.js';
import type { Bot } from '../../core/bot.js';
import { parseCommandText } from '../../core/command-text.js';
import { UserError } from '../../core/errors.js';
import type { Actor, ConversationRef, Reply } from '../../core/types.js';
import { autocompleteChoices } from './commands.js';
import { actorOf, commandArgs, conversationOf, modalFields, parseActionId, parseFormId } from './parse.js';
import { renderModal } from './render.js';
import { createDelivery, NO_MENTIONS, type Log, type Origin } from './send.js';

export const DEFAULT_DISCORD_API = 'https://discord.com/api';

export type DiscordAdapterConfig = {
  bot: Bot;
  catalog: Pick<Catalog, 'tracks' | 'questions'>;
  token: string;
  /** REST base (proxies, tests); the gateway address is whatever that API's /gateway/bot says. */
  apiUrl?: string;
  log?: Log;
  /**
   * Grade answers a crash left behind once connected. Only one process may do it, or an
   * answer would be graded and delivered twice: under sharding, shard 0 does it.
   */
  recover?: boolean;
};

/** A modal must be shown within Discord's 3 s window; past this we say so instead of failing silently. */
const MODAL_DEADLINE_MS = 2_500;

const memberName = (member: unknown): string | undefined => (member instanceof GuildMember ? member.displayName : undefined);

export function createDiscordAdapter(config: DiscordAdapterConfig) {
  const { bot } = config;
  const log: Log = config.log ?? ((message, err) => console.error(message, err ?? ''));
  let client!: Client;
  let readsMessages = true;
  const delivery = createDelivery({ client: () => client, bot, log });

  function build(withMessageContent: boolean): Client {
    const c = new Client({
      // Interactions need no intent. Guilds keeps channels and threads cached; GuildMessages and
      // DirectMessages bring answers typed in our threads and DMs. MessageContent is privileged and
      // only needed for thread messages (DM content always arrives); without it the form still works.
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.DirectMessages,
        ...(withMessageContent ? [GatewayIntentBits.MessageContent] : []),
      ],
      // DM channels are not cached up front; without this partial, DM messages are dropped.
      partials: [Partials.Channel],
      allowedMentions: NO_MENTIONS,
      rest: { api: config.apiUrl ?? DEFAULT_DISCORD_API },
    });
    const guard = (what: string, job: () => Promise<void>) =>
      void job().catch((err: unknown) => log(`sparring: failed to handle a Discord ${what}`, err));
    c.on(Events.InteractionCreate, (i) => guard('interaction', () => onInteraction(i)));
    c.on(Events.MessageCreate, (m) => guard('message', () => onMessage(m)));
    c.on(Events.Error, (err) => log('sparring: Discord client error', err));
    c.on(Events.ShardError, (err, id) => log(`sparring: Discord shard ${id} error`, err));
    return c;
  }

  const handle = (event: Parameters<Bot['handle']>[0]) => bot.handle(event);

  async function onInteraction(i: Interaction): Promise<void> {
    if (i.user.bot) return;
    if (i.isAutocomplete()) {
      const focused = i.options.getFocused(true);
      await i.respond(autocompleteChoices(config.catalog, focused.name, String(focused.value), i.options.getString('track')));
      return;
    }
    if (!i.isChatInputCommand() && !i.isButton() && !i.isModalSubmit()) return;
    const actor = actorOf(i.user, i.guildId, memberName(i.member));
    const room = conversationOf(i.guildId, i.channelId ?? i.user.id, i.channel);

    if (i.isButton()) {
      const parsed = parseActionId(i.customId);
      if (!parsed) return;
      if (parsed.actionId === 'answer-form') return showAnswerForm(i, actor, room);
      const origin = await defer(i, actor, room);
      let replies = await handle({ kind: 'action', actionId: parsed.actionId, ...(parsed.value === undefined ? {} : { value: parsed.value }), actor, conversation: room });
      // Sharing from the candidate's thread means showing the channel, not the thread only they can see.
      if (parsed.actionId === 'share' && room.thread) replies = replies.map((r) => (r.visibility === 'public' ? { ...r, to: { ...r.to, thread: undefined } } : r));
      return delivery.deliver(replies, origin);
    }
    if (i.isModalSubmit()) {
      const formId = parseFormId(i.customId);
      if (!formId) return;
      // Grading may take longer than Discord's 3 s: defer first, always.
      const origin = await defer(i, actor, room);
      return delivery.deliver(await handle({ kind: 'submit', formId, fields: modalFields(i), actor, conversation: room }), origin);
    }
    const origin = await defer(i, actor, room);
    return delivery.deliver(await handle({ kind: 'command', name: i.commandName, args: commandArgs(i), actor, conversation: room }), origin);
  }

  /** Deferred ephemerally unless the room is already private (a DM or the candidate's private thread). */
  async function defer(i: Extract<Interaction, { deferReply: unknown }>, actor: Actor, room: ConversationRef): Promise<Origin> {
    const ephemeral = !delivery.isPrivateRoom(room);
    try {
      await i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    } catch (err) {
      // Past Discord's 3 s (a busy event loop, a slow network) the token is dead; the event still
      // counts, so replies go to the channel or by DM instead of the answer being dropped.
      log('sparring: could not defer an interaction; replying without it', err);
      return { actor, room };
    }
    return { actor, room, interaction: i, ephemeral };
  }

  /** A modal can only be the first response to a click, so the form is fetched without deferring. */
  async function showAnswerForm(i: ButtonInteraction, actor: Actor, room: ConversationRef): Promise<void> {
    const replies = await Promise.race([
      handle({ kind: 'action', actionId: 'answer-form', actor, conversation: room }),
      sleep(MODAL_DEADLINE_MS).then(() => undefined),
    ]);
    const form = replies?.find((r): r is Reply & { form: NonNullable<Reply['form']> } => Boolean(r.form))?.form;
    if (form) return i.showModal(renderModal(form));
    const content = replies ? replies.map((r) => r.text).join('\n') : 'Still grading your previous answer; try again in a moment.';
    await i.reply({ content: content.slice(0, 2000), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  }

  async function onMessage(m: Message): Promise<void> {
    // Never answer bots (including ourselves), webhooks or system messages: no loops, no spam.
    if (m.author.bot || m.webhookId || m.system || m.author.id === client.user?.id) return;
    if (m.inGuild()) {
      // In servers only our own session threads are read; every other message is none of our business.
      if (!m.channel.isThread() || m.channel.ownerId !== client.user?.id) return;
      const owner = delivery.threadOwners.get(m.channelId);
      if (owner && owner !== m.author.id) return;
    } else if (m.channel.type !== ChannelType.DM) return;
    // Without the Message Content intent, thread messages arrive empty: the form button is the way to answer.
    const text = m.content ? m.cleanContent : '';
    if (!text.trim()) return;
    const actor = actorOf(m.author, m.guildId, m.member?.displayName);
    const conversation = conversationOf(m.guildId, m.channelId, m.channel);
    const command = parseCommandText(text);
    void m.channel.sendTyping().catch(() => undefined);
    const replies = await handle(command ? { kind: 'command', ...command, actor, conversation } : { kind: 'message', text, actor, conversation });
    await delivery.deliver(replies, { actor, room: conversation });
  }

  async function recover(): Promise<void> {
    if (config.recover === false) return;
    if (client.shard && !client.shard.ids.includes(0)) return;
    await delivery.deliver(await bot.recoverPending());
  }

  async function login(withMessageContent: boolean): Promise<void> {
    client = build(withMessageContent);
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(config.token);
    await ready;
  }

  return {
    get client(): Client {
      return client;
    },
    /** False when the application may not use the Message Content intent: answers come through the form. */
    get readsMessages(): boolean {
      return readsMessages;
    },
    /** Connects, then delivers what recovery graded. Resolves once the bot is ready. */
    async start(): Promise<void> {
      try {
        await login(true);
      } catch (err) {
        await client.destroy();
        if (!/disallowed intents/i.test((err as Error)?.message ?? '')) throw explainLoginError(err, config.apiUrl);
        // A setting-free fallback: the portal switch is off (or not approved), so run without it.
        log('sparring: the Message Content intent is not enabled for this application; answers typed in threads will not be read, use the "Answer in a form" button. Enable it under Bot → Privileged Gateway Intents in the Developer Portal.');
        readsMessages = false;
        try {
          await login(false);
        } catch (again) {
          await client.destroy();
          throw explainLoginError(again, config.apiUrl);
        }
      }
      await recover();
    },
    async stop(): Promise<void> {
      await client?.destroy();
    },
  };
}

function explainLoginError(err: unknown, apiUrl: string | undefined): unknown {
  const e = err as { code?: unknown; status?: number; cause?: { code?: string }; message?: string };
  if (e?.code === 'TokenInvalid' || e?.status === 401) return new UserError('setting DISCORD_TOKEN: Discord rejected the token (copy it again from the Developer Portal → Bot → Reset Token)');
  if (['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT'].includes(e?.cause?.code ?? '')) {
    return new UserError(`setting DISCORD_API_URL: cannot reach ${apiUrl ?? DEFAULT_DISCORD_API} (${e.cause!.code})`);
  }
  return err;
}

export type DiscordAdapter = ReturnType<typeof createDiscordAdapter>;
