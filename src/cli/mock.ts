import { userInfo } from 'node:os';
import { Command } from 'commander';
import { createCliAdapter } from '../adapters/cli/index.js';
import { createApp, type App } from '../app.js';
import { loadConfig } from '../config.js';

const terminal = (userName: string, app: App) =>
  createCliAdapter({
    bot: app.bot,
    input: process.stdin,
    output: process.stdout,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    color: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'],
    userName,
  });

export function mockCommand(): Command {
  return new Command('mock')
    .description('try a mock interview in the terminal: you are both the candidate and the manager')
    .argument('[choice...]', 'track, competency, difficulty and/or question ids')
    .option('--questions <n>', 'how many questions')
    .option('--user <name>', 'who you are', userInfo().username || 'me')
    .action(async (choice: string[], opts: { user: string; questions?: string }) => {
      const app = await createApp(loadConfig());
      try {
        process.exitCode = await terminal(opts.user, app).runMock([...choice, ...(opts.questions ? ['--questions', opts.questions] : [])]);
      } finally {
        await app.close();
      }
    });
}

export function progressCommand(): Command {
  return new Command('progress')
    .description('your average per competency, its trend, what comes back for review, and a chart (PNG in ./data)')
    .option('--user <name>', 'whose progress', userInfo().username || 'me')
    .action(async (opts: { user: string }) => {
      const app = await createApp(loadConfig());
      try {
        await terminal(opts.user, app).once('progress', []);
      } finally {
        await app.close();
      }
    });
}
