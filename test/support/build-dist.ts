import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The CLI tests run the built `sparring` (dist/cli.js) as a user would, so dist/ must be the
 * current source: before any test runs, this builds it unless it was built by this setup from
 * exactly the files now in src/ (a hash of them is kept in dist/.source-hash). `npm test` builds
 * only here; a plain `npx vitest` after an edit rebuilds once (a few seconds), and with nothing
 * changed it costs a hash of src/.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STAMP = join(ROOT, 'dist', '.source-hash');
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...files(join(ROOT, 'src')).sort(), ...CONFIGS.map((c) => join(ROOT, c))]) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export default function setup(): void {
  const want = sourceHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === want) return;
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    const out = err as { stdout?: string; stderr?: string };
    throw new Error(`building dist/ for the CLI tests failed:\n${out.stdout ?? ''}${out.stderr ?? ''}`);
  }
  writeFileSync(STAMP, want);
}
