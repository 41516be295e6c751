import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../support/harness.js';
import { runCli } from '../support/run-cli.js';

describe('sparring drill and sparring report drill', () => {
  it('lets one person rehearse a drill in the terminal and exports its report as Markdown and JSON', () => {
    const d = [...catalog().drills.values()][0]!;
    const db = join(mkdtempSync(join(tmpdir(), 'sparring-drill-cli-')), 's.db');
    const action = d.expectedActions.find((a) => a.key)!;
    const script = [`Let us ${action.signals[0]!.terms[0]} right away.`, '/drill release', '/drill end', ''].join('\n');
    const run = runCli(['drill', d.id], { db, input: script });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(d.injects.find((i) => i.release.kind === 'start')!.title);
    expect(run.stdout).toMatch(/After-action report/);
    expect(run.stdout).not.toContain('```');

    const md = runCli(['report', 'drill', '1', '--format', 'md'], { db });
    expect(md.status).toBe(0);
    expect(md.stdout).toMatch(new RegExp(`^# After-action report: ${d.title}`));
    expect(md.stdout).toContain(`✅ ${action.description}`);

    const json = JSON.parse(runCli(['report', 'drill', '1', '--format', 'json'], { db }).stdout);
    expect(json.objectives.flatMap((o: { actions: { id: string; covered: boolean }[] }) => o.actions).find((a: { id: string }) => a.id === action.id).covered).toBe(true);
    expect(json.firstKeyActionMinute).toBe(0);
  });

  it('prints gaps that agree with the coverage lines, in the terminal, the Markdown and the JSON', () => {
    const d = catalog().drills.get('holiday-fraud-drift')!;
    const db = join(mkdtempSync(join(tmpdir(), 'sparring-drill-cli-')), 's.db');
    const script = ["I'm declaring SEV-2 and we fall back to the RB-2 rules engine now.", '/drill end', ''].join('\n');
    const run = runCli(['drill', d.id], { db, input: script });
    expect(run.status).toBe(0);
    const missed = d.expectedActions.filter((a) => !['declare-incident', 'fallback-to-rules'].includes(a.id));
    const terminalGaps = run.stdout.split('\nGaps\n')[1]!.split('\nDebrief\n')[0]!;
    for (const a of missed) expect(terminalGaps).toContain(a.description);
    expect(run.stdout).not.toContain('every expected action was covered');

    const md = runCli(['report', 'drill', '1', '--format', 'md'], { db }).stdout;
    const mdGaps = md.split('## Gaps\n')[1]!.split('\n## ')[0]!;
    for (const a of missed) expect(mdGaps).toContain(a.description);

    const json = JSON.parse(runCli(['report', 'drill', '1', '--format', 'json'], { db }).stdout);
    const contain = json.objectives.find((o: { id: string }) => o.id === 'contain');
    expect(contain.progress).toEqual({ covered: 2, total: d.expectedActions.filter((a) => a.objective === 'contain').length });
    for (const a of missed) expect(json.gaps.join('\n')).toContain(a.description);
  });

  it('explains an unknown drill or format in one line', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'sparring-drill-cli-')), 's.db');
    expect(runCli(['report', 'drill', '9', '--format', 'md'], { db }).stderr).toMatch(/^sparring: no drill #9/);
    expect(runCli(['report', 'drill', '1', '--format', 'pdf'], { db }).stderr).toMatch(/^sparring: --format must be one of md, json/);
  });
});
