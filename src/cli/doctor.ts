import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { ContentError, formatProblem, loadCatalog, type Catalog } from '../content/load.js';
import { isUserError } from '../core/kernel/errors.js';
import { loadGraders } from '../grading/graders.js';
import { migrateStore, type StoreConfig } from '../store/open.js';

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

/** The configured store: which backend, whether it can be reached and used, its schema version. */
async function checkStore(config: StoreConfig): Promise<Check> {
  const created = !config.SPARRING_DATABASE_URL && !existsSync(config.SPARRING_DB);
  try {
    const s = await migrateStore(config);
    return {
      name: 'database', ok: true,
      detail: `${s.backend} ${s.location}${created ? ' (created now)' : ''}: reachable, schema v${s.version}, ${s.users} users, ${s.sessions} sessions, ${s.waiting} answers waiting to be graded`,
    };
  } catch (err) {
    if (isUserError(err)) return { name: 'database', ok: false, detail: err.message };
    throw err;
  }
}

/** Ollama names a model without a tag `<name>:latest`. */
const withTag = (name: string) => (name.includes(':') ? name : `${name}:latest`);

function reason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError') return 'no answer in time';
  return e?.cause?.code ?? e?.message ?? String(err);
}

/** Through the ollama client: is the server up, and is the configured model pulled? */
async function checkOllama(host: string, model: string, timeoutMs: number): Promise<Check[]> {
  // Loaded only here, so every other sparring command starts without it.
  const { Ollama } = await import('ollama');
  const client = new Ollama({ host, fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }) });
  let server: string;
  let pulled: string[];
  try {
    server = `Ollama ${(await client.version()).version} at ${host}`;
  } catch (err) {
    return [{ name: 'ollama', ok: false, detail: `no Ollama server answers at ${host} (${reason(err)}): start it ("ollama serve") or set OLLAMA_HOST` }];
  }
  try {
    pulled = (await client.list()).models.flatMap((m) => [m.name, m.model]).map(withTag);
  } catch (err) {
    return [{ name: 'ollama', ok: false, detail: `${server} did not list its models (${reason(err)})` }];
  }
  if (!pulled.includes(withTag(model))) {
    return [{ name: 'ollama', ok: false, detail: `${server}: the model ${model} is not pulled; run: ollama pull ${model}` }];
  }
  return [{ name: 'ollama', ok: true, detail: `${server}, ${model} pulled` }];
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check the configured LLM provider (for Ollama: server up, model pulled), the database (SQLite or PostgreSQL) and the content')
    .option('--json', 'print the checks as JSON')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig();
      const { check: content, catalog } = checkContent(config.SPARRING_CONTENT_DIR);
      const checks: Check[] = [];
      const graders = catalog ? await loadGraders(config, catalog) : undefined;
      if (graders) checks.push({ name: 'provider', ok: true, detail: graders.describe });
      if (config.LLM_PROVIDER === 'ollama') checks.push(...(await checkOllama(config.OLLAMA_HOST, config.OLLAMA_MODEL, config.LLM_TIMEOUT_MS)));
      // A model Ollama does not have cannot answer: the line above says what to run instead.
      if (graders?.model && checks.every((c) => c.ok)) {
        const { pingModel } = await import('../grading/factory.js');
        const ping = await pingModel(graders.model, config.LLM_TIMEOUT_MS);
        checks.push({ name: 'model', ok: ping.ok, detail: ping.ok ? ping.detail : `${ping.detail}; answers will be graded offline until it answers` });
      }
      checks.push(await checkStore(config), content);
      if (opts.json) console.log(JSON.stringify({ ok: checks.every((c) => c.ok), checks }));
      else for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(9)} ${c.detail}`);
      if (!checks.every((c) => c.ok)) process.exitCode = 1;
    });
}
