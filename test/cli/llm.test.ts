import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, startFakeOpenAI, type FakeLlmServer } from '../fakes/openai-server.js';
import { questionOfKind } from '../support/harness.js';
import { runCliAsync, startCli } from '../support/run-cli.js';

let fake: FakeLlmServer | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

const openai = (url: string, extra: Record<string, string> = {}) => ({ LLM_PROVIDER: 'openai', OPENAI_BASE_URL: url, OPENAI_MODEL: 'gpt-4o-mini', LLM_TIMEOUT_MS: '5000', ...extra });

const until = async (check: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('sparring grade with an OpenAI-compatible server', () => {
  const q = questionOfKind('technical');

  it('grades with the LLM and drops quotes the answer never said', async () => {
    fake = await startFakeOpenAI({ mode: 'invented_quotes' });
    const run = await runCliAsync(['grade', '--question', q.id, '--json'], { input: q.modelAnswer, env: openai(fake.url) });
    expect(run.stderr).toBe('');
    const grade = JSON.parse(run.stdout);
    expect(grade.grader).toMatchObject({ kind: 'llm', model: 'openai:gpt-4o-mini' });
    expect(grade.meta.droppedQuotes).toBeGreaterThan(0);
    for (const c of grade.criteria) for (const e of c.evidence) expect(q.modelAnswer).toContain(e);
    expect(fake.requests).toHaveLength(1);
  });

  it('masks e-mail addresses and phone numbers before the answer leaves the machine', async () => {
    fake = await startFakeOpenAI({ mode: 'good' });
    const answer = `${q.modelAnswer} Reach me at ana.lopez@example.com or +1 415-555-0199 for the details.`;
    const run = await runCliAsync(['grade', '--question', q.id, '--json'], { input: answer, env: openai(fake.url) });
    expect(JSON.parse(run.stdout).grader.kind).toBe('llm');
    const sent = JSON.stringify(fake.requests.map((r) => r.body));
    expect(sent).not.toContain('ana.lopez@example.com');
    expect(sent).not.toContain('555-0199');
    expect(sent).toContain('[email]');
  });

  it('falls back to the offline grader, flagged, when the server is down', async () => {
    const port = await closedPort();
    const run = await runCliAsync(['grade', '--question', q.id, '--json'], { input: q.modelAnswer, env: openai(`http://127.0.0.1:${port}/v1`) });
    const grade = JSON.parse(run.stdout);
    expect(grade.grader.kind).toBe('lexical');
    expect(grade.flags).toContain('fallback_used');
    expect(grade.meta.fallbackReason).toMatch(/could not be reached/);
  });
});

describe('a grading interrupted by kill -9', () => {
  it('finishes after restart and delivers the grade', async () => {
    const q = questionOfKind('technical');
    const db = join(mkdtempSync(join(tmpdir(), 'sparring-kill-')), 's.db');
    fake = await startFakeOpenAI({ mode: 'slow', slowMs: 60_000 });
    const env = openai(fake.url, { LLM_TIMEOUT_MS: '60000' });

    const first = startCli(['practice', q.id], { db, env });
    first.child.stdin.write(`${q.modelAnswer}\n/done\n`);
    await until(() => fake!.requests.length > 0);
    first.child.kill('SIGKILL');
    await first.done;
    expect(first.output()).not.toMatch(/Score:/);

    fake.mode = 'good';
    const second = await runCliAsync(['practice'], { db, env });
    expect(second.stdout).toMatch(/Score: \d+\/100/);

    const row = new Database(db, { readonly: true }).prepare(`SELECT status, grade FROM turns WHERE kind = 'main'`).get() as { status: string; grade: string };
    expect(row.status).toBe('graded');
    expect(JSON.parse(row.grade).grader.kind).toBe('llm');
  });
});
