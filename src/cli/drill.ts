import { userInfo } from 'node:os';
import { Command } from 'commander';
import { createCliAdapter } from '../adapters/cli/index.js';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { Clock } from '../core/kernel/types.js';
import { parsePositiveInt } from './io.js';

/** Time that runs `speed` times faster than the wall clock, for rehearsing a drill without the waits. */
function fastClock(speed: number): Clock {
  const origin = Date.now();
  return { now: () => origin + (Date.now() - origin) * speed };
}

export function drillCommand(): Command {
  return new Command('drill')
    .description('rehearse a tabletop drill in the terminal: you facilitate and play every role')
    .argument('[scenario]', 'drill scenario id (see "sparring content list"); omit to continue an open drill')
    .option('--speed <n>', 'run drill time N times faster (e.g. 60: a minute per second)', (v) => parsePositiveInt('--speed', v), 1)
    .option('--user <name>', 'who you are in the record', userInfo().username || 'me')
    .action(async (scenario: string | undefined, opts: { speed: number; user: string }) => {
      const app = await createApp(loadConfig(), opts.speed > 1 ? { clock: fastClock(opts.speed) } : {});
      try {
        const cli = createCliAdapter({
          bot: app.bot,
          input: process.stdin,
          output: process.stdout,
          interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
          color: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'],
          userName: opts.user,
          channel: 'drill',
        });
        process.exitCode = await cli.runDrill(scenario);
      } finally {
        await app.close();
      }
    });
}
