import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { styleText } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import type { Bot } from '../../core/bot.js';
import type { Abilities } from '../../core/kernel/adapter.js';
import { parseCommandText } from '../../core/command-text.js';
import { COMMAND_SPECS, commandSpec, usageOf } from '../../core/commands.js';
import { directRoom } from '../../core/kernel/rooms.js';
import type { Actor, ConversationRef, EventBody, IncomingEvent, Reply } from '../../core/kernel/types.js';
import { plainStyle, renderReplyText, type TextStyle } from '../text-render.js';

/** One person at a keyboard: text in, text out. */
export const TERMINAL_ABILITIES: Abilities = { buttons: false, forms: false, privateNotes: false, sharedRooms: false, threads: 'none', directMessages: false, homeView: false };

export type CliAdapterConfig = {
  bot: Bot;
  input: Readable;
  output: Writable;
  /** Interactive terminal: prompts, a spinner, and a blank line ends an answer. */
  interactive: boolean;
  color: boolean;
  userName: string;
  /** Practice and drills use separate rooms, so an open drill never swallows practice answers. */
  channel?: string;
  /** Where attachments (the progress chart) are written; the terminal shows their path. */
  attachmentsDir?: string;
  /** Shown before grading output when it takes longer than this. */
  spinnerAfterMs?: number;
};

const colorStyle: TextStyle = {
  bold: (t) => styleText('bold', t),
  dim: (t) => styleText('dim', t),
  accent: (t) => styleText('cyan', t),
};

/** What the practice loop offers: the session's own commands, then those that leave it be. */
const SESSION_COMMANDS = [...COMMAND_SPECS.filter((c) => c.needsSession), ...COMMAND_SPECS.filter((c) => c.midSession)].map((c) => `/${c.name}`);
const PRACTICE_LINE = `Type your answer; finish it with an empty line or /done. Commands: ${SESSION_COMMANDS.join(' ')}`;
const MOCK_LINE = `Answer as the candidate (finish with an empty line or /done). Afterwards: ${['score', 'show', 'release'].map((v) => `/${usageOf('mock', v)}`).join(', ')}.`;
// Several verbs on one line: their required words only.
const DRILL_LINE = `You play every role. Type to the room; ${['decide', 'release', 'pause', 'end'].map((v) => `/${usageOf('drill', v, { requiredOnly: true })}`).join(', ')}. /${usageOf('drill', 'help')} for more.`;

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function createCliAdapter(config: CliAdapterConfig) {
  const { bot, input, output, interactive } = config;
  const style = config.color ? colorStyle : plainStyle;
  const actor: Actor = { platform: 'cli', workspace: 'local', userId: config.userName, displayName: config.userName, isBot: false };
  const conversation: ConversationRef = { platform: 'cli', workspace: 'local', channel: config.channel ?? 'terminal' };
  let finished = false;
  let asked = false;

  const print = (text: string) => output.write(`${text}\n`);

  function saveAttachments(reply: Reply): string[] {
    const dir = config.attachmentsDir ?? 'data';
    return (reply.attachments ?? []).map((a) => {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, basename(a.name));
      writeFileSync(file, Buffer.from(a.base64, 'base64'));
      return style.dim(`(${a.alt}: saved to ${file})`);
    });
  }

  function deliver(replies: Reply[]) {
    for (const reply of replies) {
      if (reply.to.platform !== 'cli') continue;
      const text = [renderReplyText(reply, style), ...saveAttachments(reply)].join('\n');
      print(reply.role === 'error' ? style.bold(text) : text);
      print('');
      if (reply.role === 'summary') finished = true;
      if (reply.role === 'question' || reply.role === 'probe') asked = true;
    }
  }

  /** Grading can take a while with an LLM: show a spinner, but only if it is slow enough to notice; stop() clears it. */
  function spinner(): { stop(): void } {
    if (!interactive) return { stop: () => undefined };
    let frame = 0;
    let timer: NodeJS.Timeout | undefined;
    const delay = setTimeout(() => {
      timer = setInterval(() => output.write(`\r${SPINNER[frame++ % SPINNER.length]} grading…`), 80);
    }, config.spinnerAfterMs ?? 300);
    return {
      stop() {
        clearTimeout(delay);
        if (timer) {
          clearInterval(timer);
          timer = undefined;
          output.write('\r\x1b[2K');
        }
      },
    };
  }

  /**
   * Runs an event, printing its replies as the bot delivers them: a reply waiting in the outbox
   * counts as sent only once it is on the screen, so a crash before that shows it on the next start.
   */
  async function handleHere(event: IncomingEvent): Promise<void> {
    const spin = spinner();
    try {
      await bot.handle(event, async (replies) => {
        spin.stop();
        deliver(replies);
        return [];
      });
    } finally {
      spin.stop();
    }
  }

  /** The same for work left from before (a grading a crash interrupted, replies never shown). */
  const printDue = async (run: (print: (replies: Reply[]) => Promise<readonly []>) => Promise<unknown>) =>
    run(async (replies) => {
      deliver(replies);
      return [];
    });

  const send = (event: EventBody) => handleHere({ ...event, actor, conversation } as IncomingEvent);

  return {
    platform: 'cli' as const,
    abilities: TERMINAL_ABILITIES,
    actor,
    conversation,
    get finished() {
      return finished;
    },
    /**
     * Starts (or resumes) a session, then reads answers and commands until the session ends or
     * input does. Resolves to the exit code: 1 when no session could be started.
     */
    async run(practiceArgs: string[]): Promise<number> {
      await printDue((print) => bot.work({ platform: 'cli', userId: actor.userId }, print));
      await send({ kind: 'command', name: 'practice', args: practiceArgs });
      if (!asked) return finished ? 0 : 1;
      if (finished) return 0;
      if (interactive) print(style.dim(PRACTICE_LINE));

      const lines = createInterface({ input, terminal: false, crlfDelay: Infinity });
      const answer: string[] = [];
      const prompt = () => interactive && output.write(answer.length ? '… ' : '> ');
      const submit = async () => {
        const text = answer.join('\n');
        answer.length = 0;
        if (text.trim()) await send({ kind: 'message', text });
      };
      prompt();
      for await (const line of lines) {
        const command = parseCommandText(line);
        if (line.trim() === '/done' || (interactive && line.trim() === '' && answer.length > 0)) await submit();
        else if (command) {
          // /hint mid-answer keeps what was typed so far; moving on drops a draft for a question that is gone.
          if (commandSpec(command.name)?.leavesQuestion) answer.length = 0;
          await send({ kind: 'command', ...command });
        } else if (line.trim() !== '' || answer.length > 0) answer.push(line);
        if (finished) break;
        prompt();
      }
      if (!finished && answer.length > 0) await submit();
      lines.close();
      if (!finished) print(style.dim('Session saved. Run `sparring practice` to pick it up again.'));
      return 0;
    },

    /** Sends one command from the terminal user and shows the replies: `sparring progress` and friends. */
    async once(name: string, args: string[]): Promise<void> {
      await send({ kind: 'command', name, args });
    },

    /**
     * A mock interview where one person plays both sides, for managers trying it out: answers go
     * to the candidate's room; `/mock …` lines (score, show, release) go to the manager's.
     */
    async runMock(args: string[]): Promise<number> {
      const candidateRoom = directRoom(actor);
      const toCandidate = (event: EventBody) => handleHere({ ...event, actor, conversation: candidateRoom } as IncomingEvent);
      // The terminal's user is the candidate too: named as data, the `@` word only marks where.
      await send({ kind: 'command', name: 'mock', args: [`@${actor.userId}`, ...args], people: [{ userId: actor.userId, displayName: actor.displayName }] });
      if (!asked) return 1;
      if (interactive) print(style.dim(MOCK_LINE));
      const lines = createInterface({ input, terminal: false, crlfDelay: Infinity });
      const answer: string[] = [];
      const submit = async () => {
        const text = answer.join('\n');
        answer.length = 0;
        if (text.trim()) await toCandidate({ kind: 'message', text });
      };
      for await (const line of lines) {
        const command = parseCommandText(line);
        if (line.trim() === '/done' || (interactive && line.trim() === '' && answer.length > 0)) await submit();
        else if (command?.name === 'mock') await send({ kind: 'command', ...command });
        else if (command) await toCandidate({ kind: 'command', ...command });
        else if (line.trim() !== '' || answer.length > 0) answer.push(line);
      }
      if (answer.length > 0) await submit();
      lines.close();
      return 0;
    },

    /**
     * A tabletop drill for one person: they facilitate and play every role. Each line is a
     * message in the drill; /drill … lines are drill commands. Timed injects arrive on their own.
     */
    async runDrill(scenario: string | undefined, tickEveryMs = 1000): Promise<number> {
      await printDue((print) => bot.tick('cli', print));
      if (scenario) {
        await send({ kind: 'command', name: 'drill', args: [scenario] });
        await send({ kind: 'command', name: 'drill', args: ['join', 'all'] });
        await send({ kind: 'command', name: 'drill', args: ['begin'] });
      } else await send({ kind: 'command', name: 'drill', args: ['status'] });
      if (finished) return 0;
      if (interactive) print(style.dim(DRILL_LINE));
      const timer = setInterval(() => void printDue((print) => bot.tick('cli', print)), tickEveryMs);
      const lines = createInterface({ input, terminal: false, crlfDelay: Infinity });
      try {
        for await (const line of lines) {
          const command = parseCommandText(line);
          if (command) await send({ kind: 'command', ...command });
          else if (line.trim()) await send({ kind: 'message', text: line });
          if (finished) break;
        }
      } finally {
        clearInterval(timer);
        lines.close();
      }
      if (!finished) print(style.dim('The drill is still open. Run `sparring drill` again in this terminal to continue it.'));
      return 0;
    },
  };
}
