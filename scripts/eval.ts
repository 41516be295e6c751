/** Runs `sparring eval` without building: npx tsx scripts/eval.ts --dataset FILE.csv [--json] */
import { evalCommand } from '../src/cli/eval.js';
await evalCommand().parseAsync(process.argv);
