import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLI = join(process.cwd(), 'dist', 'cli.js');

export type CliRun = { status: number | null; stdout: string; stderr: string };

/** Runs the built `sparring` as a user would (npm test builds it first), with its own database. */
export function runCli(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; db?: string } = {}): CliRun {
  const db = opts.db ?? join(mkdtempSync(join(tmpdir(), 'sparring-cli-')), 'sparring.db');
  const result = spawnSync(process.execPath, [CLI, ...args], {
    input: opts.input ?? '',
    env: { PATH: process.env['PATH'] ?? '', SPARRING_DB: db, LLM_PROVIDER: 'offline', ...opts.env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
