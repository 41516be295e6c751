#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { benchCommand } from './cli/bench.js';
import { contentCommand } from './cli/content.js';
import { dbCommand } from './cli/db.js';
import { discordCommand } from './cli/discord.js';
import { doctorCommand } from './cli/doctor.js';
import { drillCommand } from './cli/drill.js';
import { mockCommand, progressCommand } from './cli/mock.js';
import { reportCommand } from './cli/report.js';
import { evalCommand } from './cli/eval.js';
import { gradeCommand } from './cli/grade.js';
import { practiceCommand } from './cli/practice.js';
import { slackCommand } from './cli/slack.js';
import { loadConfig, loadDotEnv } from './config.js';
import { ContentError, formatProblem, loadCatalog } from './content/load.js';
import { isUserError, UserError } from './core/kernel/errors.js';
import { loadGraders } from './grading/graders.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const config = () => loadConfig();
  return new Command('sparring')
    .description('A sparring partner for interviews and incident drills')
    .version(pkg.version)
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(practiceCommand(), { isDefault: true })
    .addCommand(gradeCommand({ graders: async (catalog) => (await loadGraders(config(), catalog)).grader, contentDir: () => config().SPARRING_CONTENT_DIR }))
    .addCommand(
      evalCommand({
        makeLlmGrader: async () => {
          const c = config();
          if (c.LLM_PROVIDER === 'offline') throw new UserError('LLM grader not configured: set LLM_PROVIDER=ollama or openai');
          return (await loadGraders(c, loadCatalog(c.SPARRING_CONTENT_DIR))).grader;
        },
      }),
    )
    .addCommand(contentCommand())
    .addCommand(benchCommand())
    .addCommand(dbCommand())
    .addCommand(doctorCommand())
    .addCommand(drillCommand())
    .addCommand(mockCommand())
    .addCommand(progressCommand())
    .addCommand(reportCommand())
    .addCommand(slackCommand())
    .addCommand(discordCommand());
}

/** Every failure ends as one line on stderr and a non-zero exit; stacks only with SPARRING_DEBUG. */
function reportFailure(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof ContentError) {
    for (const p of err.problems) console.error(formatProblem(p));
    console.error('sparring: the content has problems (listed above); fix them or run "sparring content check"');
    return 1;
  }
  if (isUserError(err)) {
    console.error(`sparring: ${err.message}`);
    return err.exitCode;
  }
  console.error(`sparring: unexpected error: ${(err as Error)?.message ?? String(err)}`);
  if (process.env['SPARRING_DEBUG']) console.error(err);
  return 1;
}

async function main(): Promise<void> {
  try {
    loadDotEnv();
    await buildProgram().exitOverride().parseAsync(process.argv);
  } catch (err) {
    process.exitCode = reportFailure(err);
  }
}

await main();
