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

  it('explains an unknown drill or format in one line', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'sparring-drill-cli-')), 's.db');
    expect(runCli(['report', 'drill', '9', '--format', 'md'], { db }).stderr).toMatch(/^sparring: no drill #9/);
    expect(runCli(['report', 'drill', '1', '--format', 'pdf'], { db }).stderr).toMatch(/^sparring: --format must be one of md, json/);
  });
});
