import { Command } from 'commander';
import { BENCH_TARGETS, runBench, type BenchResult } from '../bench/run.js';
import { parsePositiveInt } from './io.js';

function verdict(key: keyof BenchResult, value: number): string {
  const target = (BENCH_TARGETS as Record<string, { max?: number; min?: number }>)[key];
  if (!target) return '';
  const ok = target.max !== undefined ? value <= target.max : value >= (target.min ?? -Infinity);
  return `${ok ? 'ok ' : 'MISS'} (target ${target.max !== undefined ? `≤ ${target.max}` : `≥ ${target.min}`})`;
}

export function benchCommand(): Command {
  return new Command('bench')
    .description('measure turn latency, grading throughput, memory at 1,000 sessions and cold start')
    .option('--json', 'print one JSON object')
    .option('--turns <n>', 'turns to time', (v) => parsePositiveInt('--turns', v), 3000)
    .option('--sessions <n>', 'concurrent sessions for the memory figure', (v) => parsePositiveInt('--sessions', v), 1000)
    .action(async (opts: { json?: boolean; turns: number; sessions: number }) => {
      const result = await runBench({ turns: opts.turns, sessions: opts.sessions });
      if (opts.json) {
        console.log(JSON.stringify(result));
        return;
      }
      for (const [key, value] of Object.entries(result) as [keyof BenchResult, number][]) {
        console.log(`${key.padEnd(22)} ${String(value).padStart(9)}  ${verdict(key, value)}`);
      }
    });
}
