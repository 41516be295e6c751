import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { questionOfKind } from '../support/harness.js';
import { runCli } from '../support/run-cli.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('sparring mock, report mock and progress in the terminal', () => {
  it('runs a mock where one person plays both sides, then exports it as Markdown and CSV', () => {
    const q = questionOfKind('technical');
    const db = join(mkdtempSync(join(tmpdir(), 'sparring-mock-cli-')), 's.db');
    const script = [q.modelAnswer, '/done', '/next', '/mock score 1 1 65 solid, but no baseline', '/mock show 1', '/mock release 1', ''].join('\n');
    const run = runCli(['mock', q.id, '--user', 'maya'], { db, input: script });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Mock interview #1/);
    expect(run.stdout).toMatch(/maya\n?.*65\/100 · solid, but no baseline/);
    expect(run.stdout).toMatch(/Feedback on your mock interview #1/);

    const md = runCli(['report', 'mock', '1', '--format', 'md'], { db });
    expect(md.stdout).toMatch(/^# Mock interview #1: maya/);
    expect(md.stdout).toContain('- maya: 65/100: solid, but no baseline');
    const csv = runCli(['report', 'mock', '1', '--format', 'csv'], { db }).stdout.trim().split('\n');
    expect(csv[0]).toBe('mock_id,candidate,question_number,question_id,competency,scorer,score,notes');
    expect(csv[2]).toBe(`1,maya,1,${q.id},${q.competency},maya,65,"solid, but no baseline"`);
    expect(runCli(['report', 'mock', '2', '--format', 'csv'], { db }).stderr).toMatch(/^sparring: no mock interview #2/);
  });

  it('shows progress and writes the chart as a PNG', () => {
    const q = questionOfKind('technical');
    const dir = mkdtempSync(join(tmpdir(), 'sparring-progress-cli-'));
    const db = join(dir, 's.db');
    runCli(['practice', q.id], { db, input: `${q.modelAnswer}\n/done\n/end\n` });
    const run = runCli(['progress'], { db, cwd: dir });
    expect(run.stdout).toMatch(/Your progress: 1 graded answer/);
    expect(run.stdout).toContain(q.competency);
    const chart = join(dir, 'data', 'progress.png');
    expect(existsSync(chart)).toBe(true);
    expect(readFileSync(chart).subarray(0, 8)).toEqual(PNG);
  });
});
