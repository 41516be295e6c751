import { PassThrough, Writable } from 'node:stream';
import { createCliAdapter, TERMINAL_ABILITIES } from '../../src/adapters/cli/index.js';
import { harness } from '../support/harness.js';
import { adapterContract, type ContractDriver, type ContractPerson, type SeenReply } from './contract.js';

/** What the terminal writes between replies: prompts and the blank line after each reply. */
const PROMPTS = new Set(['> ', '… ']);

/**
 * The terminal adapter as `sparring practice` runs it: one person at a keyboard, typing lines
 * into its input stream and reading what it writes. A terminal has no buttons, forms, private
 * replies or other people, so the contract's cases that need those are skipped for it.
 */
adapterContract(
  'terminal',
  async (): Promise<ContractDriver> => {
    const h = await harness();
    const running: Promise<number>[] = [];
    const inputs: PassThrough[] = [];
    return {
      person(userId): ContractPerson {
        const replies: SeenReply[] = [];
        let prompts = 0;
        let wake: (() => void) | undefined;
        const output = new Writable({
          write(chunk: Buffer, _enc, done) {
            const text = chunk.toString();
            if (PROMPTS.has(text)) prompts++;
            else if (text !== '\n') replies.push({ text: text.replace(/\n$/, ''), private: false, actions: [] });
            wake?.();
            done();
          },
        });
        const input = new PassThrough();
        inputs.push(input);
        const cli = createCliAdapter({ bot: h.bot, input, output, interactive: true, color: false, userName: userId, spinnerAfterMs: 60_000 });
        let session: Promise<number> | undefined;
        /** Resolves once the terminal has prompted `n` more times, or the session is over. */
        const prompted = async (n: number, done: Promise<unknown>) => {
          const target = prompts + n;
          let over = false;
          void done.then(() => (over = true));
          while (prompts < target && !over) await new Promise<void>((resolve) => ((wake = resolve), void done.then(() => resolve())));
        };
        const typed = async (lines: string[]) => {
          const done = session!;
          const waiting = prompted(lines.length, done);
          input.write(lines.map((l) => `${l}\n`).join(''));
          await waiting;
          if (cli.finished) {
            await done;
            session = undefined;
          }
        };
        return {
          async command(name, ...args) {
            if (session) return typed([`/${[name, ...args].join(' ')}`]);
            if (name !== 'practice') return cli.once(name, args);
            session = cli.run(args);
            running.push(session);
            await prompted(1, session);
            if (cli.finished) session = undefined;
          },
          async answer(text) {
            if (!session) throw new Error('no session is open in this terminal');
            // A blank line would end the answer early in a terminal, so paragraphs are typed line after line.
            await typed([...text.split('\n').filter((l) => l.trim() !== ''), '/done']);
          },
          click: () => Promise.reject(new Error('a terminal has no buttons')),
          submitForm: () => Promise.reject(new Error('a terminal has no forms')),
          seen: () => [...replies],
        };
      },
      async close() {
        // Closing the terminals' input ends their sessions (saved, as on Ctrl-D) before the database goes.
        for (const input of inputs) input.end();
        await Promise.allSettled(running);
        h.db.close();
      },
    };
  },
  TERMINAL_ABILITIES,
);
