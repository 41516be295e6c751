import { Command, InvalidArgumentError } from 'commander';
import { createLexicalGrader } from '../grading/lexical/grader.js';
import type { Grader } from '../core/kernel/grading.js';
import { runEval, type EvalResult } from '../eval/run.js';

export type EvalCommandDeps = {
  /** Builds the LLM grader; absent when no provider is configured. */
  makeLlmGrader?: () => Grader | Promise<Grader>;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream | NodeJS.WritableStream;
};

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');

function formatTable(r: EvalResult): string {
  const rows: [string, string][] = [
    ['answers', String(r.n)],
    ['pearson', fmt(r.pearson)],
    ['spearman', fmt(r.spearman)],
    [`mae (0-${r.max_score})`, fmt(r.mae)],
    ['qwk', fmt(r.qwk)],
    ['macro F1', fmt(r.macro_f1)],
    ['answers/s', r.answers_per_second.toFixed(0)],
    ['skipped rows', String(r.skipped.length)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`);
  for (const s of r.skipped.slice(0, 10)) lines.push(`  skipped line ${s.line}: ${s.reason}`);
  if (r.skipped.length > 10) lines.push(`  … and ${r.skipped.length - 10} more`);
  return lines.join('\n') + '\n';
}

function parseLimit(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** `sparring eval --dataset FILE.csv [--grader lexical|llm] [--limit N] [--json]` */
export function evalCommand(deps: EvalCommandDeps = {}): Command {
  const out = deps.stdout ?? process.stdout;
  const err = deps.stderr ?? process.stderr;
  return new Command('eval')
    .description('Measure a grader against a labelled answer data set (CSV)')
    .requiredOption('--dataset <file>', 'CSV with columns id,dataset,question,reference,answer,score,max_score')
    .option('--grader <kind>', 'lexical or llm', 'lexical')
    .option('--limit <n>', 'grade at most N answers', parseLimit)
    .option('--json', 'print one JSON object instead of a table')
    .action(async (opts: { dataset: string; grader: string; limit?: number; json?: boolean }) => {
      try {
        let grader: Grader;
        if (opts.grader === 'lexical') grader = createLexicalGrader();
        else if (opts.grader === 'llm') {
          if (!deps.makeLlmGrader) throw new Error('LLM grader not configured: set LLM_PROVIDER');
          grader = await deps.makeLlmGrader();
        } else throw new Error(`unknown grader "${opts.grader}" (use lexical or llm)`);
        const tty = 'isTTY' in err && err.isTTY === true;
        let lastPct = -1;
        const onProgress = tty
          ? (done: number, total: number) => {
              const pct = Math.floor((100 * done) / total);
              if (pct === lastPct && done !== total) return;
              lastPct = pct;
              const bar = '#'.repeat(Math.floor(pct / 5)).padEnd(20, '.');
              err.write(`\r[${bar}] ${pct}% ${done}/${total}` + (done === total ? '\n' : ''));
            }
          : undefined;
        const r = await runEval({ file: opts.dataset, grader, limit: opts.limit, onProgress });
        if (opts.json) {
          const { skipped, ...rest } = r;
          out.write(JSON.stringify({ ...rest, skipped: skipped.length }) + '\n');
        } else out.write(formatTable(r));
      } catch (e) {
        err.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
      }
    });
}
