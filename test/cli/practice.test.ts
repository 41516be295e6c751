import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog, questionOfKind } from '../support/harness.js';
import { runCli } from '../support/run-cli.js';

describe('sparring practice, scripted over stdin', () => {
  it('takes a multi-line answer up to /done, grades it, and follows /hint and /end', () => {
    const q = questionOfKind('technical');
    const script = [...q.modelAnswer.split('. ').map((s) => s.trim()), '/done', '/hint', '/end', ''].join('\n');
    const run = runCli(['practice', q.id], { input: script });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(q.prompt);
    expect(run.stdout).toMatch(/Score: \d+\/100/);
    expect(run.stdout).toMatch(/Follow-up:/);
    expect(run.stdout).toMatch(/Hint:/);
    expect(run.stdout).toMatch(/Session complete: 1 of 1 question graded/);
    expect(run.stdout).not.toMatch(/\x1b\[/); // plain when not a terminal
    expect(run.stderr).toBe('');
  });

  it('treats end of input as the end of an answer and resumes the session next time', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'sparring-resume-')), 's.db');
    const first = runCli(['practice', '2'], { db, input: '' });
    expect(first.stdout).toMatch(/Question 1 of 2/);
    expect(first.stdout).toMatch(/Session saved/);
    const questionId = [...catalog().questions.values()].find((q) => first.stdout.includes(q.prompt))!.id;

    const second = runCli(['practice'], { db, input: 'I would look at precision and recall per class and at drift.' });
    expect(second.stdout).toMatch(/Picking up your session/);
    expect(second.stdout).toContain(catalog().questions.get(questionId)!.prompt);
    expect(second.stdout).toMatch(/Score: \d+\/100/);
  });

  it('explains an unknown choice in one line and exits non-zero', () => {
    const run = runCli(['practice', 'astrology']);
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/I don't know "astrology"/);
  });

  it('refuses a corrupt database in one line without touching it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparring-corrupt-'));
    const file = join(dir, 'bad.db');
    writeFileSync(file, 'garbage'.repeat(200));
    const run = runCli(['practice'], { db: file });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^sparring: cannot open database .*not a valid SQLite database/);
    expect(readFileSync(file, 'utf8')).toBe('garbage'.repeat(200));
  });
});
