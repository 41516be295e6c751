import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../fakes/discord/index.js';
import { startCli } from '../support/run-cli.js';

let fake: Awaited<ReturnType<typeof startFakeDiscord>> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const until = async (check: () => boolean, what: () => string, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting; output so far:\n${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('sparring discord --shards', () => {
  it('asks the API how many shards, runs each in its own process from the CLI entry point, and stops them all', async () => {
    fake = await startFakeDiscord();
    const db = join(mkdtempSync(join(tmpdir(), 'sparring-shards-')), 's.db');
    const run = startCli(['discord', '--shards', 'auto'], { db, env: { LLM_PROVIDER: 'offline', DISCORD_TOKEN: 'test-token', DISCORD_API_URL: fake.apiUrl } });
    await until(() => /Discord bot ready/.test(run.errors()), run.errors);
    expect(run.errors()).toContain('sparring: started Discord shard 1 of 1');
    expect(run.errors()).toMatch(/Discord bot ready as .* \(shard 0 of 1\)/);
    run.child.kill('SIGTERM');
    const done = await run.done;
    expect(done.status).toBe(0);
    expect(done.stderr).not.toMatch(/shard failed/);
  });
});
