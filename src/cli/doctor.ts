import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { ContentError, formatProblem, loadCatalog, type Catalog } from '../content/load.js';
import { isUserError } from '../core/errors.js';
import { loadGraders } from '../grading/graders.js';
import { openDatabase } from '../store/db.js';

type Check = { name: string; ok: boolean; detail: string };

function checkContent(dir: string | undefined): { check: Check; catalog?: Catalog } {
  try {
    const catalog = loadCatalog(dir, { cache: false });
    return { catalog, check: { name: 'content', ok: true, detail: `${catalog.questions.size} questions, ${catalog.rubrics.size} rubrics, ${catalog.tracks.size} tracks, ${catalog.prompts.size} prompts (${catalog.root})` } };
  } catch (err) {
    if (!(err instanceof ContentError)) throw err;
    return { check: { name: 'content', ok: false, detail: `${err.problems.length} problem(s), first: ${formatProblem(err.problems[0]!)}` } };
  }
}

function checkDatabase(file: string): Check {
  const existed = existsSync(file);
  try {
    const db = openDatabase(file);
    const version = db.pragma('user_version', { simple: true }) as number;
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const detail = `${file}${existed ? '' : ' (created now)'}: schema v${version}, ${count('SELECT COUNT(*) AS n FROM users')} users, ${count('SELECT COUNT(*) AS n FROM sessions')} sessions, ${count(`SELECT COUNT(*) AS n FROM turns WHERE status = 'answered'`)} answers waiting to be graded`;
    db.close();
    return { name: 'database', ok: true, detail };
  } catch (err) {
    if (isUserError(err)) return { name: 'database', ok: false, detail: err.message };
    throw err;
  }
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check the configured LLM provider, the database and the content')
    .option('--json', 'print the checks as JSON')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig();
      const { check: content, catalog } = checkContent(config.SPARRING_CONTENT_DIR);
      const checks: Check[] = [];
      if (catalog) {
        const graders = await loadGraders(config, catalog);
        checks.push({ name: 'provider', ok: true, detail: graders.describe });
        if (graders.model) {
          const { pingModel } = await import('../grading/factory.js');
          const ping = await pingModel(graders.model, config.LLM_TIMEOUT_MS);
          checks.push({ name: 'model', ok: ping.ok, detail: ping.ok ? ping.detail : `${ping.detail}; answers will be graded offline until it answers` });
        }
      }
      checks.push(checkDatabase(config.SPARRING_DB), content);
      if (opts.json) console.log(JSON.stringify({ ok: checks.every((c) => c.ok), checks }));
      else for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(9)} ${c.detail}`);
      if (!checks.every((c) => c.ok)) process.exitCode = 1;
    });
}
