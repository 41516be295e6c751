import type { Bot } from '../../core/bot.js';
import type { Abilities } from '../../core/kernel/adapter.js';
import { parseCommandText } from '../../core/command-text.js';
import { namesPeople } from '../../core/commands.js';
import { actionName, encodeForm, type Action, type FormPayload } from '../../core/kernel/actions.js';
import type { Actor, ConversationRef, IncomingEvent, PersonRef, Reply } from '../../core/kernel/types.js';
import { renderReplyText } from '../text-render.js';

/** A room of people in one process; a session that opens a room of its own stays in the shared one. */
export const MEMORY_ABILITIES: Abilities = { buttons: true, forms: true, privateNotes: true, sharedRooms: true, threads: 'none', directMessages: false, homeView: false };

export type MemoryAdapterConfig = {
  bot: Bot;
  workspace?: string;
  channel?: string;
  /** Keep a transcript of everything said (tests read it); off, it holds nothing, like a real platform. */
  record?: boolean;
};

/** People are named as on Slack, `<@U123|Ana>` or `<@U123>`; the adapter resolves them as Slack's does. */
const MENTION = /^<@([^|>\s]+)(?:\|([^>]+))?>$/;

function peopleIn(name: string, args: readonly string[]): { people?: PersonRef[] } {
  if (!namesPeople(name)) return {};
  const people = args.flatMap((a) => {
    const m = MENTION.exec(a);
    return m ? [{ userId: m[1]!, ...(m[2] ? { displayName: m[2] } : {}) }] : [];
  });
  return people.length ? { people } : {};
}

export type TranscriptLine = { from: string; text: string; reply?: Reply };

/**
 * An in-process platform: people type into a room and read the bot's replies. Tests drive
 * the whole bot through it; it keeps a transcript and honours private replies like a chat
 * platform would (each person sees public replies and their own private ones).
 */
export function createMemoryAdapter({ bot, workspace = 'memory', channel = 'room', record = true }: MemoryAdapterConfig) {
  const transcript: TranscriptLine[] = [];
  const delivered: Reply[] = [];

  async function send(event: IncomingEvent): Promise<Reply[]> {
    const replies = await bot.handle(event);
    if (!record) return replies;
    for (const reply of replies) {
      delivered.push(reply);
      transcript.push({ from: 'bot', text: renderReplyText(reply), reply });
    }
    return replies;
  }

  function user(userId: string, displayName = userId, where: Partial<ConversationRef> = {}) {
    const actor: Actor = { platform: 'memory', workspace: where.workspace ?? workspace, userId, displayName, isBot: false };
    const conversation: ConversationRef = { platform: 'memory', workspace: actor.workspace, channel: where.channel ?? channel, ...(where.thread ? { thread: where.thread } : {}) };
    const base = { actor, conversation };
    const note = (text: string) => {
      if (record) transcript.push({ from: displayName, text });
    };
    return {
      actor,
      conversation,
      /** Text as typed: "/hint" is a command, anything else a message. */
      say(text: string) {
        note(text);
        const cmd = parseCommandText(text);
        return send(cmd ? { kind: 'command', ...cmd, ...peopleIn(cmd.name, cmd.args), ...base } : { kind: 'message', text, ...base });
      },
      command(name: string, ...args: string[]) {
        note(`/${[name, ...args].join(' ')}`);
        return send({ kind: 'command', name, args, ...peopleIn(name, args), ...base });
      },
      click(action: Action) {
        note(`[${actionName(action)}]`);
        return send({ kind: 'action', action, ...base });
      },
      submit(form: FormPayload, fields: Record<string, string>) {
        note(`[form ${encodeForm(form)}]`);
        return send({ kind: 'submit', form, fields, ...base });
      },
      /** What this person can see of everything delivered so far. */
      visible(): Reply[] {
        return delivered.filter((r) => r.visibility === 'public' || r.visibility.onlyFor.userId === userId);
      },
    };
  }

  return { platform: 'memory' as const, abilities: MEMORY_ABILITIES, user, transcript, delivered, send, recover: async () => {
    const replies = await bot.work({ platform: 'memory' });
    delivered.push(...replies);
    return replies;
  } };
}

export type MemoryAdapter = ReturnType<typeof createMemoryAdapter>;
