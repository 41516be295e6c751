import { Command } from 'commander';
import { BENCH_TARGETS, runBench } from '../bench/run.js';
import { parsePositiveInt } from './io.js';

function verdict(key: string, value: number): string {
  const target = BENCH_TARGETS[key];
  if (!target) return '';
  const ok = target.max !== undefined ? value <= target.max : value >= (target.min ?? -Infinity);
  return `${ok ? 'ok ' : 'MISS'} (target ${target.max !== undefined ? `≤ ${target.max}` : `≥ ${target.min}`})`;
}

const parseSizes = (v: string): [number, number] => {
  const sizes = v.split(',').map((s) => parsePositiveInt('--scale-sizes', s.trim()));
  if (sizes.length !== 2) throw new Error('--scale-sizes takes two sizes, e.g. 10000,300000');
  return [sizes[0]!, sizes[1]!];
};

export function benchCommand(): Command {
  return new Command('bench')
    .description('measure turn latency, grading throughput, memory at 1,000 sessions, cold start, Slack events/s against a bare Bolt app, and (--scale) how costs grow with the database')
    .option('--json', 'print one JSON object')
    .option('--turns <n>', 'turns to time', (v) => parsePositiveInt('--turns', v), 3000)
    .option('--sessions <n>', 'concurrent sessions for the memory figure', (v) => parsePositiveInt('--sessions', v), 1000)
    .option('--scale', 'also seed databases of 10k and 300k stored turns and time the same operations on both (about a minute)')
    .option('--scale-sizes <small,big>', 'the two sizes --scale seeds', parseSizes, [10_000, 300_000] as [number, number])
    .action(async (opts: { json?: boolean; turns: number; sessions: number; scale?: boolean; scaleSizes: [number, number] }) => {
      // A PostgreSQL figure too when a server is named; the tests' server will do.
      const databaseUrl = process.env['SPARRING_BENCH_DATABASE_URL'] ?? process.env['SPARRING_TEST_DATABASE_URL'];
      const result = await runBench({ turns: opts.turns, sessions: opts.sessions, ...(opts.scale ? { scale: opts.scaleSizes } : {}), ...(databaseUrl ? { databaseUrl } : {}) });
      if (opts.json) {
        console.log(JSON.stringify(result));
        return;
      }
      for (const [key, value] of Object.entries(result)) {
        console.log(`${key.padEnd(40)} ${String(value).padStart(9)}  ${verdict(key, value)}`);
      }
    });
}
