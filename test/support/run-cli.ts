import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLI = join(process.cwd(), 'dist', 'cli.js');

export type CliRun = { status: number | null; stdout: string; stderr: string };

/** Runs the built `sparring` as a user would (build-dist.ts rebuilds it from the current src/ first), with its own database. */
export function runCli(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; db?: string; cwd?: string } = {}): CliRun {
  const db = opts.db ?? join(mkdtempSync(join(tmpdir(), 'sparring-cli-')), 'sparring.db');
  const result = spawnSync(process.execPath, [CLI, ...args], {
    input: opts.input ?? '',
    env: { PATH: process.env['PATH'] ?? '', TMPDIR: tmpdir(), SPARRING_DB: db, LLM_PROVIDER: 'offline', ...opts.env },
    encoding: 'utf8',
    timeout: 30_000,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking the test's event loop: needed when a fake server in this process must answer. */
export function startCli(args: string[], opts: { env?: Record<string, string>; db: string }) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env['PATH'] ?? '', TMPDIR: tmpdir(), SPARRING_DB: opts.db, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return { child, done, output: () => stdout, errors: () => stderr };
}

export async function runCliAsync(args: string[], opts: { input?: string; env?: Record<string, string>; db?: string } = {}): Promise<CliRun> {
  const run = startCli(args, { db: opts.db ?? join(mkdtempSync(join(tmpdir(), 'sparring-cli-')), 'sparring.db'), env: opts.env });
  run.child.stdin.end(opts.input ?? '');
  return run.done;
}
