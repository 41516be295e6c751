import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChannelType,
  Client,
  Events,
  GatewayIntentBits,
  GuildMember,
  MessageFlags,
  Partials,
  ShardClientUtil,
  type ButtonInteraction,
  type Interaction,
  type StringSelectMenuInteraction,
  type Message,
} from 'discord.js';
import type { Catalog } from '../../content/load.js';
import type { Bot, Deliver, HandleHooks } from '../../core/bot.js';
import type { Abilities } from '../../core/kernel/adapter.js';
import type { PlatformState } from '../../core/kernel/platform-state.js';
import { parseCommandText } from '../../core/command-text.js';
import { UserError } from '../../core/kernel/errors.js';
import type { Action, ActionKind } from '../../core/kernel/actions.js';
import type { Actor, ConversationRef, IncomingEvent, PersonRef, Reply } from '../../core/kernel/types.js';
import { ALL_ROLES } from '../../core/drill/flow.js';
import { namesPeople } from '../../core/commands.js';
import { autocompleteChoices, choiceSourceOf, type KnownChoice } from './commands.js';
import { actorOf, commandOf, conversationOf, mentionedPeople, DM_WORKSPACE, isOurActionId, modalFields, parseActionId, parseFormId, parseMenuPick } from './parse.js';
import { renderModal } from './render.js';
import { NO_MENTIONS } from './mentions.js';
import { createDelivery, type Log, type Origin } from './send.js';

export const DEFAULT_DISCORD_API = 'https://discord.com/api';

export type DiscordAdapterConfig = {
  bot: Bot;
  /** Thread owners and names, kept in the store so a restart (or another shard) still knows them. */
  state: PlatformState;
  catalog: Pick<Catalog, 'tracks' | 'questions'> & Partial<Pick<Catalog, 'drills'>>;
  token: string;
  /** REST base (proxies, tests); the gateway address is whatever that API's /gateway/bot says. */
  apiUrl?: string;
  log?: Log;
  /**
   * Grade answers a crash left behind once connected. Only one process may do it, or an
   * answer would be graded and delivered twice: under sharding, shard 0 does it.
   */
  recover?: boolean;
  /**
   * How often due drill injects are released (bot.tick), from ready until stop; 0 turns the
   * loop off. Every shard may tick: a timer fires once (the store claims it), so nothing is
   * posted twice.
   */
  tickIntervalMs?: number;
};

/** Discord gives each candidate a private thread (a public one only where private threads are not allowed). */
export const DISCORD_ABILITIES: Abilities = { buttons: true, forms: true, privateNotes: true, sharedRooms: true, threads: 'private', directMessages: true, homeView: false };

/** Whether a workspace (a server, or DMs) is served by one of these shards: Discord's own formula, DMs on shard 0. */
export const servedByShards = (ids: readonly number[], count: number) => (workspace: string): boolean =>
  ids.includes(workspace === DM_WORKSPACE ? 0 : ShardClientUtil.shardIdForGuildId(workspace, count));

export const DEFAULT_TICK_MS = 1_000;

/** Buttons whose answer is a form: a modal must be the first response, so these are not deferred. */
const FORM_ACTIONS = new Set<ActionKind>(['answer-form', 'mock-score']);

const STALE_BUTTON = 'That button is from an older message and no longer works; use the slash command instead.';

/** A modal must be shown within Discord's 3 s window; past this we say so instead of failing silently. */
const MODAL_DEADLINE_MS = 2_500;

const memberName = (member: unknown): string | undefined => (member instanceof GuildMember ? member.displayName : undefined);

export function createDiscordAdapter(config: DiscordAdapterConfig) {
  const { bot, state } = config;
  const log: Log = config.log ?? ((message, err) => console.error(message, err ?? ''));
  let client!: Client;
  let readsMessages = true;
  const delivery = createDelivery({ client: () => client, state, log });

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

  /** The people a command names, by the names Discord showed for them: their own messages may come later. */
  const rememberPeople = async (workspace: string, people: readonly PersonRef[]) => {
    for (const p of people) if (p.displayName) await state.rememberDisplayName({ platform: 'discord', workspace, userId: p.userId, displayName: p.displayName });
  };

  const handle = async (event: IncomingEvent, deliver?: Deliver, hooks?: HandleHooks) => {
    await state.rememberDisplayName(event.actor);
    return bot.handle(event, deliver, hooks);
  };
  /** Runs an event and delivers its replies within the person's (or drill room's) line. */
  const handleAndSend = (event: IncomingEvent, origin?: Origin, adjust: (replies: Reply[]) => Reply[] = (r) => r) =>
    handle(event, (replies) => delivery.deliver(adjust(replies), origin));

  /** A drill room's roles or open decision's options, as the core knows them now (a restart loses nothing). */
  async function drillChoices(room: ConversationRef, option: 'role' | 'option'): Promise<KnownChoice[]> {
    // Autocomplete must answer within Discord's 3 s; no suggestions beat a failed interaction.
    const choices = await Promise.race([bot.drillChoices(room), sleep(MODAL_DEADLINE_MS).then(() => undefined)]);
    if (!choices) return [];
    // `<decision>:<option>`: a pick made after that decision closed is refused rather than applied to the next one.
    if (option === 'option') return (choices.decision?.options ?? []).map((o) => ({ name: o.label, value: `${choices.decision!.id}:${o.id}` }));
    return [...choices.roles.map((r) => ({ name: r.name, value: r.id })), { name: 'All roles (one person plays them all)', value: ALL_ROLES }];
  }

  async function onInteraction(i: Interaction): Promise<void> {
    if (i.user.bot) return;
    if (i.isAutocomplete()) {
      const focused = i.options.getFocused(true);
      const room = conversationOf(i.guildId, i.channelId ?? i.user.id, i.channel);
      const source = choiceSourceOf(i.commandName, i.options.getSubcommand(false), focused.name);
      const known = source === 'role' || source === 'option' ? await drillChoices(room, source) : [];
      await i.respond(source ? autocompleteChoices(config.catalog, source, String(focused.value), i.options.getString('track'), known) : []);
      return;
    }
    if (!i.isChatInputCommand() && !i.isButton() && !i.isStringSelectMenu() && !i.isModalSubmit()) return;
    let actor = actorOf(i.user, i.guildId, memberName(i.member));
    let room = conversationOf(i.guildId, i.channelId ?? i.user.id, i.channel);
    /** A button or form sent by DM on a server's behalf acts as the clicker's identity in that server. */
    const actAs = (workspace: string | undefined) => {
      if (!workspace || i.guildId) return;
      actor = { ...actor, workspace };
      room = { ...room, workspace };
    };

    if (i.isButton() || i.isStringSelectMenu()) {
      const parsed = i.isStringSelectMenu() ? parseMenuPick(i.customId, i.values[0]) : parseActionId(i.customId);
      if (!parsed) {
        // Ours but unreadable (posted before an upgrade): say so, rather than leave Discord's "interaction failed".
        if (isOurActionId(i.customId)) await i.reply({ content: STALE_BUTTON, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
        return;
      }
      actAs(parsed.workspace);
      const { action } = parsed;
      if (i.isButton() && FORM_ACTIONS.has(action.do)) return showForm(i, action, actor, room, parsed.workspace);
      const origin = await defer(i, actor, room);
      // Sharing from the candidate's thread means showing the channel, not the thread only they can see.
      const shareInChannel = (replies: Reply[]) =>
        action.do === 'share' && room.thread ? replies.map((r) => (r.visibility === 'public' ? { ...r, to: { ...r.to, thread: undefined } } : r)) : replies;
      await handleAndSend({ kind: 'action', action, actor, conversation: room }, origin, shareInChannel);
      return;
    }
    if (i.isModalSubmit()) {
      const parsed = parseFormId(i.customId);
      if (!parsed) return;
      actAs(parsed.workspace);
      // Deferred as soon as the answer is committed (well within Discord's 3 s), not before: a crash
      // in between leaves the person Discord's "interaction failed" to retry on, never a lost answer.
      let origin: Promise<Origin> | undefined;
      const deferOnce = () => (origin ??= defer(i, actor, room));
      const event: IncomingEvent = { kind: 'submit', form: parsed.form, fields: modalFields(i), actor, conversation: room };
      await handle(event, async (replies) => delivery.deliver(replies, await deferOnce()), { accepted: () => void deferOnce() });
      return;
    }
    const origin = await defer(i, actor, room);
    const { args, people } = commandOf(i);
    await rememberPeople(actor.workspace, people);
    await handleAndSend({ kind: 'command', name: i.commandName, args, ...(people.length ? { people } : {}), actor, conversation: room }, origin);
  }

  /** Deferred ephemerally unless the room is private to the one acting (their DM, their own private thread). */
  async function defer(i: Extract<Interaction, { deferReply: unknown }>, actor: Actor, room: ConversationRef): Promise<Origin> {
    // In someone else's private thread (an admin in a candidate's), what is private to the actor must stay so.
    const ephemeral = !(await delivery.isPrivateRoomFor(room, actor.userId, { actor, room }));
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
  async function showForm(i: ButtonInteraction, action: Action, actor: Actor, room: ConversationRef, workspace?: string): Promise<void> {
    const replies = await Promise.race([
      handle({ kind: 'action', action, actor, conversation: room }),
      sleep(MODAL_DEADLINE_MS).then(() => undefined),
    ]);
    const form = replies?.find((r): r is Reply & { form: NonNullable<Reply['form']> } => Boolean(r.form))?.form;
    // A form opened from a DM on a server's behalf is submitted as that server's user too.
    if (form) return i.showModal(renderModal(form, workspace && !i.guildId ? { workspace } : {}));
    const content = replies ? replies.map((r) => r.text).join('\n') : 'Still grading your previous answer; try again in a moment.';
    await i.reply({ content: content.slice(0, 2000), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  }

  async function onMessage(m: Message): Promise<void> {
    // Never answer bots (including ourselves), webhooks or system messages: no loops, no spam.
    if (m.author.bot || m.webhookId || m.system || m.author.id === client.user?.id) return;
    const conversation = conversationOf(m.guildId, m.channelId, m.channel);
    // A room with an open drill hears everyone: every message is part of the exercise.
    const drill = await bot.listensIn(conversation);
    if (m.inGuild() && !drill) {
      // In servers only our own session threads are read; every other message is none of our business.
      if (!m.channel.isThread() || m.channel.ownerId !== client.user?.id) return;
      const owner = conversation.thread ? await state.threadOwner({ ...conversation, thread: conversation.thread }) : undefined;
      if (owner && owner !== m.author.id) return;
    } else if (!m.inGuild() && m.channel.type !== ChannelType.DM) return;
    // Without the Message Content intent, thread messages arrive empty: the form button is the way to answer.
    if (!m.content.trim()) return;
    const actor = actorOf(m.author, m.guildId, m.member?.displayName);
    // Commands keep their raw mentions (`/mock <@123>`); answers and drill talk are read as people see them.
    const command = parseCommandText(m.content);
    const text = m.cleanContent;
    if (!drill && 'sendTyping' in m.channel) void m.channel.sendTyping().catch(() => undefined);
    const nameOf = (id: string) => m.mentions.members?.get(id)?.displayName ?? m.mentions.users.get(id)?.globalName ?? m.mentions.users.get(id)?.username;
    const people = command && namesPeople(command.name) ? mentionedPeople(command.args, nameOf) : [];
    await rememberPeople(actor.workspace, people);
    await handleAndSend(command ? { kind: 'command', ...command, ...(people.length ? { people } : {}), actor, conversation } : { kind: 'message', text, actor, conversation }, { actor, room: conversation });
  }

  /** Releases due drill injects; one tick at a time, so a slow delivery never overlaps the next. */
  let ticker: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  function tick(): Promise<void> {
    ticking ??= (async () => {
      try {
        await bot.work(scope(), delivery.deliver);
        await bot.tick('discord', delivery.deliver);
      } catch (err) {
        log('sparring: running due work failed', err);
      } finally {
        ticking = undefined;
      }
    })();
    return ticking;
  }
  function startTicking(): void {
    const every = config.tickIntervalMs ?? DEFAULT_TICK_MS;
    if (every <= 0 || ticker) return;
    ticker = setInterval(() => void tick(), every);
    ticker.unref?.();
  }

  /** A shard works only for its own servers: another shard's servers are not in its cache. */
  const scope = () => {
    const shard = client.shard;
    const mine = shard ? servedByShards(shard.ids, shard.count) : undefined;
    return { platform: 'discord' as const, ...(mine ? { workspace: mine } : {}) };
  };

  async function recover(): Promise<void> {
    if (config.recover === false) return;
    await bot.work(scope(), delivery.deliver);
  }

  async function login(withMessageContent: boolean): Promise<void> {
    client = build(withMessageContent);
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(config.token);
    await ready;
  }

  return {
    platform: 'discord' as const,
    abilities: DISCORD_ABILITIES,
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
      // Injects that fell due while the bot was down are released at once, then every few seconds.
      await tick();
      startTicking();
    },
    /** Releases due drill injects now (the loop does this every tickIntervalMs). */
    tick,
    async stop(): Promise<void> {
      clearInterval(ticker);
      ticker = undefined;
      await ticking;
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
