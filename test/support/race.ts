import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The built modules (test/support/build-dist.ts keeps dist/ current), as a child process imports them. */
export const distModule = (path: string) => pathToFileURL(join(process.cwd(), 'dist', path)).href;

export type ChildRun = { status: number | null; stderr: string };

/**
 * Runs `load` and then `go` (ES module snippets; `await` allowed) in `count` fresh Node
 * processes. Each waits between the two for one shared instant, so that the `go` parts start
 * within a millisecond of each other however long loading took.
 */
export async function atOnce(load: string, go: string, opts: { count?: number; env?: Record<string, string> } = {}): Promise<ChildRun[]> {
  const startAt = Date.now() + 700;
  const script = `${load}\nwhile (Date.now() < ${startAt});\n${go}`;
  return Promise.all(
    Array.from({ length: opts.count ?? 2 }, () => new Promise<ChildRun>((resolve) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        env: { PATH: process.env['PATH'] ?? '', TMPDIR: process.env['TMPDIR'] ?? '', ...opts.env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stderr }));
    })),
  );
}
