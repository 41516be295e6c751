import { userInfo } from 'node:os';
import { Command } from 'commander';
import { createCliAdapter } from '../adapters/cli/index.js';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { COMMAND_SPECS } from '../core/commands.js';

/** The session's own commands, from the registry: `/hint, /skip, /next, /end`. */
const SESSION_LINES = COMMAND_SPECS.filter((c) => c.needsSession).map((c) => `/${c.name}`).join(', ');

function defaultUser(): string {
  try {
    return userInfo().username || 'me';
  } catch {
    return 'me';
  }
}

export function practiceCommand(): Command {
  return new Command('practice')
    .description('practise interview questions in the terminal (resumes an unfinished session)')
    .argument('[choice...]', 'track, competency, difficulty, kind, question id and/or a number of questions')
    .option('--questions <n>', 'how many questions (default 3)')
    .option('--resume', 'pick up the unfinished session (the default when there is one and no choice is given)')
    .option('--user <name>', 'whose history to use', defaultUser())
    .option('--no-color', 'plain output even on a terminal')
    .addHelpText('after', `
Answering: on a terminal, finish an answer with an empty line or /done.
From a pipe or file, an answer is everything up to a line /done (or end of input), and
${SESSION_LINES} work as lines, so a session can be scripted:

  printf 'My answer...\\n/done\\n/end\\n' | sparring practice fraud-accuracy-paradox`)
    .action(async (choice: string[], opts: { resume?: boolean; user: string; color: boolean; questions?: string }) => {
      const app = await createApp(loadConfig());
      try {
        const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
        const cli = createCliAdapter({
          bot: app.bot,
          input: process.stdin,
          output: process.stdout,
          interactive,
          color: opts.color && Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'],
          userName: opts.user,
        });
        process.exitCode = await cli.run(opts.resume ? [] : [...choice, ...(opts.questions ? ['--questions', opts.questions] : [])]);
      } finally {
        await app.close();
      }
    });
}
