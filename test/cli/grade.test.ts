import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog, questionOfKind } from '../support/harness.js';
import { runCli } from '../support/run-cli.js';

const oneLine = (text: string) => expect(text.trim().split('\n')).toHaveLength(1);

describe('sparring grade', () => {
  const q = questionOfKind('behavioral');

  it('prints a scorecard, or the same Grade JSON every time with every quote taken from the answer', () => {
    const card = runCli(['grade', '--question', q.id], { input: q.modelAnswer });
    expect(card.status).toBe(0);
    expect(card.stdout).toMatch(/^Score: \d+\/100 · /);
    expect(card.stdout).toContain('STAR');

    const first = runCli(['grade', '--question', q.id, '--json'], { input: q.modelAnswer });
    const second = runCli(['grade', '--question', q.id, '--json'], { input: q.modelAnswer });
    expect(first.stdout).toBe(second.stdout);
    const grade = JSON.parse(first.stdout);
    expect(grade.grader.kind).toBe('lexical');
    const quotes = [...grade.criteria.flatMap((c: { evidence: string[] }) => c.evidence), ...Object.values(grade.star).flatMap((p) => ((p as { evidence?: string }).evidence ? [(p as { evidence: string }).evidence] : []))];
    expect(quotes.length).toBeGreaterThan(3);
    for (const quote of quotes) expect(q.modelAnswer).toContain(quote);
  });

  it('reads the answer from a file, and says when its bytes were not UTF-8', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sparring-grade-')), 'answer.txt');
    writeFileSync(file, Buffer.concat([Buffer.from(q.modelAnswer), Buffer.from([0xff, 0xfe, 0x00, 0x07])]));
    const run = runCli(['grade', '--question', q.id, '--answer-file', file, '--json']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/not UTF-8; they were replaced/);
    expect(JSON.parse(run.stdout).score).toBeGreaterThan(0);
  });

  it('flags a one-word answer as too short and scores it low', () => {
    const grade = JSON.parse(runCli(['grade', '--question', q.id, '--json'], { input: 'accuracy' }).stdout);
    expect(grade.flags).toContain('too_short');
    expect(grade.score).toBeLessThanOrEqual(20);
  });

  it('grades a 100,000-character answer after cutting it, and says so', () => {
    const run = runCli(['grade', '--question', q.id, '--json'], { input: `${q.modelAnswer} `.repeat(Math.ceil(100_000 / q.modelAnswer.length)) });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/cut to its first 20,000 characters/);
  });

  it.each([
    [['grade', '--question', 'no-such-question'], 'x', /^sparring: unknown question "no-such-question"; run "sparring content list"/],
    [['grade', '--question', q.id], '   \n\t ', /^sparring: the answer is empty/],
    [['grade', '--question', q.id, '--answer-file', '/nonexistent/answer.txt'], '', /^sparring: cannot read \/nonexistent\/answer.txt: no such file/],
  ])('refuses %j in one line with a non-zero exit', (args, input, message) => {
    const run = runCli(args, { input });
    expect(run.status).toBe(1);
    oneLine(run.stderr);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('names a bad setting in one line', () => {
    const run = runCli(['grade', '--question', q.id], { input: 'x', env: { LLM_PROVIDER: 'gpt' } });
    expect(run.status).toBe(1);
    oneLine(run.stderr);
    expect(run.stderr).toMatch(/^sparring: setting LLM_PROVIDER: /);
  });
});

describe('sparring content check', () => {
  it('passes on the shipped content and fails with path:line on a broken copy', () => {
    expect(runCli(['content', 'check']).stdout).toMatch(new RegExp(`^ok: ${catalog().questions.size} questions`));
    const dir = mkdtempSync(join(tmpdir(), 'sparring-content-cli-'));
    const qdir = join(dir, 'scenarios', 'questions');
    mkdirSync(qdir, { recursive: true });
    writeFileSync(join(dir, 'scenarios', 'tracks.yaml'), 'tracks:\n  - id: t\n    title: T\n    skill: s\n    description: d\n');
    writeFileSync(join(qdir, 'bad.yaml'), 'id: bad\ntrack: t\ncompetency: c\nkind: behavioral\ndifficulty: 3\n');
    const run = runCli(['content', 'check', dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^scenarios\/questions\/bad\.yaml:5: difficulty: /m);
  });
});
