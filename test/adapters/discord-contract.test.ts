import { DISCORD_ABILITIES } from '../../src/adapters/discord/index.js';
import { parseActionId } from '../../src/adapters/discord/parse.js';
import { actionName } from '../../src/core/kernel/actions.js';
import { CHANNEL_ID, type Recorded } from '../fakes/discord/index.js';
import { adapterContract, type ContractDriver, type ContractPerson, type SeenReply } from './contract.js';
import { connectDiscord, OPTION_STRING, settle } from './discord-support.js';

type FakeUser = { id: string; username: string; global_name: string };
/** A message as Discord shows it, with where it lives (for clicking its buttons). */
type Shown = SeenReply & { channelId: string; customIds: Map<string, string> };

const PRIVATE_THREAD = 12;
const DM = 1;
const EPHEMERAL = 64;

const readable = (text: string) => text.replace(/\*/g, '');

function textOf(body: any): string {
  const embeds = (body.embeds ?? []).flatMap((e: any) => [e.title, e.description, ...(e.fields ?? []).flatMap((f: any) => [f.name, f.value]), e.footer?.text]);
  return readable([body.content, ...embeds].filter((t) => typeof t === 'string' && t !== '').join('\n'));
}

function buttonsOf(body: any): { actions: SeenReply['actions']; customIds: Map<string, string> } {
  const actions: SeenReply['actions'] = [];
  const customIds = new Map<string, string>();
  for (const row of body.components ?? []) {
    for (const c of row.components ?? []) {
      const parsed = c.type === 2 && typeof c.custom_id === 'string' ? parseActionId(c.custom_id) : undefined;
      if (!parsed) continue;
      actions.push(parsed.action);
      customIds.set(actionName(parsed.action), c.custom_id);
    }
  }
  return { actions, customIds };
}

/**
 * The contract's driver over discord.js and the fake Discord: everyone in one server channel.
 * A person sees the channel, the threads the bot added them to, their DMs, and the replies to
 * their own interactions (ephemeral ones only they see). Discord answers over the gateway, so
 * each step waits until the bot has gone quiet.
 */
async function discordContractDriver(): Promise<ContractDriver> {
  const c = await connectDiscord();
  const { fake } = c;
  /** Interaction token → who acted and in which channel. */
  const tokens = new Map<string, { userId: string; channelId: string }>();
  let next = 600;

  const quiet = async () => {
    // The first request comes within a moment when the bot acts at all; then wait until none follow.
    const start = fake.requests.length;
    for (let waited = 0; fake.requests.length === start && waited < 1_000; waited += 20) await settle(20);
    let seen = -1;
    while (fake.requests.length !== seen) {
      seen = fake.requests.length;
      await settle(250);
    }
  };

  const threadsOf = (userId: string) =>
    fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/thread-members/${userId}`)).map((r) => r.path.split('/')[2]!);

  const inPrivateThread = (channelId: string) => fake.channels.get(channelId)?.type === PRIVATE_THREAD;

  function shownTo(userId: string): Shown[] {
    const threads = new Set(threadsOf(userId));
    const deferredEphemeral = new Set<string>();
    const out: Shown[] = [];
    const push = (body: any, channelId: string, isPrivate: boolean) => out.push({ text: textOf(body), private: isPrivate, channelId, ...buttonsOf(body) });
    for (const r of fake.requests as Recorded[]) {
      const body = r.body ?? {};
      let m: RegExpMatchArray | null;
      if (r.method === 'POST' && (m = r.path.match(/^\/channels\/(\d+)\/messages$/))) {
        const channelId = m[1]!;
        const channel = fake.channels.get(channelId);
        if (channelId === CHANNEL_ID) push(body, channelId, false);
        else if (channel?.type === DM) {
          if (channel.recipients?.some((u: { id: string }) => u.id === userId)) push(body, channelId, true);
        } else if (threads.has(channelId)) push(body, channelId, channel?.type === PRIVATE_THREAD);
        continue;
      }
      const token = r.path.startsWith('/webhooks/') ? r.path.split('/')[3] : r.path.startsWith('/interactions/') ? r.path.split('/')[3] : undefined;
      const who = token === undefined ? undefined : tokens.get(token);
      if (!who) continue;
      if (r.method === 'POST' && r.path.endsWith('/callback')) {
        if (body.type === 5 && (body.data?.flags ?? 0) & EPHEMERAL) deferredEphemeral.add(token!);
        if (body.type !== 4) continue;
        const d = body.data ?? {};
        const ephemeral = Boolean((d.flags ?? 0) & EPHEMERAL);
        if (!ephemeral || who.userId === userId) push(d, who.channelId, ephemeral || inPrivateThread(who.channelId));
      } else if (r.method === 'PATCH' || r.method === 'POST') {
        const ephemeral = r.method === 'PATCH' ? deferredEphemeral.has(token!) : Boolean((body.flags ?? 0) & EPHEMERAL);
        if (!ephemeral || who.userId === userId) push(body, who.channelId, ephemeral || inPrivateThread(who.channelId));
      }
    }
    return out;
  }

  return {
    person(userId, name): ContractPerson {
      const user: FakeUser = { id: `1200000000000000${next++}`, username: name, global_name: name };
      /** Where the person types: their session's thread once the bot opened one, else the channel. */
      const here = () => threadsOf(user.id).at(-1) ?? CHANNEL_ID;
      const acted = (payload: { token: string }, channelId: string) => tokens.set(payload.token, { userId: user.id, channelId });
      return {
        async command(cmd, ...args) {
          const channelId = here();
          const options = cmd === 'practice' && args[0] ? [{ name: 'question', type: OPTION_STRING, value: args[0] }] : [];
          acted(fake.slash(user, channelId, cmd, options), channelId);
          await quiet();
        },
        async answer(text) {
          fake.message({ channelId: here(), author: user, content: text });
          await quiet();
        },
        async click(name) {
          const shown = [...shownTo(user.id)].reverse().find((s) => s.customIds.has(name));
          if (!shown) throw new Error(`no visible "${name}" button`);
          acted(fake.button(user, shown.channelId, shown.customIds.get(name)!), shown.channelId);
          await quiet();
        },
        async submitForm(fields) {
          const modal = [...fake.requests].reverse().find((r) => r.path.endsWith('/callback') && r.body?.type === 9 && tokens.get(r.path.split('/')[3]!)?.userId === user.id);
          if (!modal) throw new Error('no form was opened');
          const channelId = tokens.get(modal.path.split('/')[3]!)!.channelId;
          acted(fake.modalSubmit(user, channelId, modal.body.data.custom_id, fields), channelId);
          await quiet();
        },
        seen: () => shownTo(user.id).map(({ text, private: p, actions }) => ({ text, private: p, actions })),
      };
    },
    close: () => c.close(),
  };
}

// Sessions live in the candidate's private thread, so nothing in them is public: no publicSession.
// A session lives in its candidate's private thread, so nothing in it is public: no publicSession.
adapterContract('discord', discordContractDriver, DISCORD_ABILITIES);
