import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlackApi, slackSender, type FakeSlackApi } from '../fakes/slack-api.js';
import { questionOfKind } from '../support/harness.js';
import { CLI } from '../support/run-cli.js';

/** The built `sparring slack`, started as a user would, against the fake Web API. */
function sparringSlack(env: Record<string, string>) {
  const db = join(mkdtempSync(join(tmpdir(), 'sparring-slack-')), 's.db');
  const child = spawn(process.execPath, [CLI, 'slack'], {
    env: { PATH: process.env['PATH'] ?? '', TMPDIR: tmpdir(), SPARRING_DB: db, LLM_PROVIDER: 'offline', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    stderr: () => stderr,
    async until(pattern: RegExp, ms = 15_000): Promise<RegExpMatchArray> {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const m = stderr.match(pattern);
        if (m) return m;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no ${pattern} in: ${stderr}`);
    },
  };
}

let api: FakeSlackApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('sparring slack', () => {
  it('names the missing setting in one line', async () => {
    const run = sparringSlack({});
    expect(await run.exited).toBe(1);
    expect(run.stderr().trim()).toBe('sparring: setting SLACK_BOT_TOKEN: required for `sparring slack` (the Bot User OAuth Token, xoxb-…)');

    const http = sparringSlack({ SLACK_BOT_TOKEN: 'xoxb-test' });
    expect(await http.exited).toBe(1);
    expect(http.stderr()).toMatch(/^sparring: setting SLACK_SIGNING_SECRET: required for HTTP mode/);
  });

  it('names the token Slack rejects', async () => {
    api = await startFakeSlackApi();
    const run = sparringSlack({ SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: api.url, SLACK_PORT: '0' });
    expect(await run.exited).toBe(1);
    expect(run.stderr().trim()).toBe('sparring: setting SLACK_BOT_TOKEN: Slack rejected the token (invalid_auth)');
  });

  it('runs in HTTP mode, answers a signed /sparring, and stops on SIGINT', async () => {
    api = await startFakeSlackApi();
    const run = sparringSlack({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'cli-secret', SLACK_API_URL: api.url, SLACK_PORT: '0' });
    const [, port] = await run.until(/HTTP on port (\d+)/);
    const slack = slackSender(`http://127.0.0.1:${port}/slack/events`, 'cli-secret');
    const q = questionOfKind('technical');
    const res = await slack.command({ team_id: 'T1', channel_id: 'C1', user_id: 'U1', user_name: 'ana', command: '/sparring', text: `practice ${q.id}`, response_url: api.responseUrl('1') });
    expect(res.status).toBe(200);
    for (let i = 0; i < 100 && api.callsTo('chat.postMessage').length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(JSON.stringify(api.callsTo('chat.postMessage')[0]!.params['blocks'])).toContain(q.prompt.slice(0, 40));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });
});
