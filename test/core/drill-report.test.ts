import { describe, expect, it } from 'vitest';
import { renderReplyText } from '../../src/adapters/text-render.js';
import { buildDrillReport, drillReportMarkdown, type DrillReport } from '../../src/core/drill/report.js';
import type { Reply } from '../../src/core/kernel/types.js';
import { catalog, harness } from '../support/harness.js';

/**
 * Transcripts of the holiday fraud drill as a facilitator would run it: four people in four
 * roles, typing what teams really type, then `drill end`. The after-action report must agree
 * with itself: the coverage lines, the gaps and the strengths come from one record of what
 * was covered, in the chat reply, the terminal text, the Markdown and the JSON alike.
 */

const scenario = () => catalog().drills.get('holiday-fraud-drift')!;

async function holidayDrill() {
  const d = scenario();
  const h = await harness();
  const fac = h.room.user('F', 'Fran');
  await fac.command('drill', d.id);
  const ic = h.room.user('IC', 'Ines');
  const ml = h.room.user('ML', 'Malik');
  const ds = h.room.user('DS', 'Dana');
  const ops = h.room.user('OPS', 'Omar');
  await ic.command('drill', 'join', 'incident-commander');
  await ml.command('drill', 'join', 'ml-engineer');
  await ds.command('drill', 'join', 'data-scientist');
  await ops.command('drill', 'join', 'business-comms');
  await fac.command('drill', 'begin');
  const drillId = (await h.drills.drillIn(fac.conversation))!.id;
  /** Lets drill time pass, releasing whatever injects fall due. */
  const wait = async (minutes: number) => {
    h.clock.advance(minutes * 60_000);
    return h.bot.tick();
  };
  const end = async () => {
    const [reply] = await fac.command('drill', 'end');
    const built = buildDrillReport((await h.drills.getDrill(drillId))!, d, await h.drills.events(drillId), await h.drills.participants(drillId));
    return { reply: reply!, built };
  };
  const actionsTaken = async () => (await h.drills.events(drillId)).filter((e) => e.kind === 'action').map((e) => e.ref!);
  return { d, h, fac, ic, ml, ds, ops, wait, end, actionsTaken };
}

const THE_DRIFT_MESSAGE =
  'the transaction mix shifted (data drift) and the same features now mean something else for fraud (concept drift), the PSI on amount is 0.3 and precision fell';

const section = (reply: Reply, title: string) => reply.sections!.find((s) => s.title === title)!;
const mdSection = (md: string, title: string) => md.split(`## ${title}\n`)[1]!.split('\n## ')[0]!;

/** Every rendering of the report tells the same story as its per-action coverage. */
function expectReportAgrees(reply: Reply, r: DrillReport) {
  const missed = r.objectives.flatMap((o) => o.actions.filter((a) => !a.covered));
  const coverage = new Map(section(reply, 'Coverage').fields!);
  for (const o of r.objectives) {
    const line = [...coverage.entries()].find(([name]) => o.description.startsWith(name))?.[1];
    expect(line, o.description).toBe(`${o.actions.filter((a) => a.covered).length}/${o.actions.length} actions`);
  }
  const gaps = section(reply, 'Gaps').body!;
  const strengths = section(reply, 'Strengths').body!;
  const md = drillReportMarkdown(r);
  const terminal = renderReplyText(reply);
  for (const a of missed) {
    expect(gaps, `chat gaps miss "${a.id}"`).toContain(a.description);
    expect(r.gaps.join('\n')).toContain(a.description);
    expect(mdSection(md, 'Gaps')).toContain(a.description);
  }
  if (missed.length > 0) {
    for (const text of [gaps, mdSection(md, 'Gaps'), mdSection(md, 'Improvement actions'), terminal]) expect(text).not.toMatch(/every expected action was covered/);
  }
  for (const o of r.objectives) {
    const met = o.actions.every((a) => a.covered);
    expect(o.covered).toBe(met);
    expect(strengths.includes(`Objective met: ${o.description}`), o.id).toBe(met);
    expect(md).toContain(`### ${met ? '✅' : '⬜'} ${o.description.replace(/\.$/, '')} (${o.actions.filter((a) => a.covered).length}/${o.actions.length} actions)`);
  }
}

describe('the after-action report agrees with itself', () => {
  it('lists every action the team left out when they covered only part of the drill', async () => {
    const t = await holidayDrill();
    await t.ic.say("Declaring SEV-2. I'm incident commander; status updates every 30 minutes in this channel.");
    await t.wait(4);
    await t.ic.say('Precision has been under 0.45 for hours, so we fall back to the RB-2 rules engine per playbook FR-3 and keep fraud losses inside the $40k limit.');
    await t.ic.command('drill', 'decide', 'fallback-rules');
    await t.ds.say(THE_DRIFT_MESSAGE);
    await t.ic.say("We'll hold a blameless post-mortem on Thursday with engineering, data science and fraud ops, with a timeline and owners for each action.");
    await t.ds.say('I will redesign the retraining schedule with holiday and calendar features, plus a PSI alert that would have fired on November 25.');
    const { reply, built } = await t.end();

    const covered = new Set(['declare-incident', 'fallback-to-rules', 'classify-drift', 'run-postmortem', 'seasonal-retraining']);
    expect(new Set((await t.actionsTaken()))).toEqual(covered);
    const missed = t.d.expectedActions.filter((a) => !covered.has(a.id));
    expect(missed.length).toBeGreaterThan(0);
    // Every key action was taken, yet the gaps must still name the rest.
    expect(missed.every((a) => !a.key)).toBe(true);
    expectReportAgrees(reply, built);
    const gaps = section(reply, 'Gaps').body!;
    for (const a of missed) expect(gaps).toContain(a.description);
    expect(gaps).not.toMatch(/^None/);
    expect(built.improvements).toHaveLength(missed.length);
    expect(built.score.points).toBeLessThan(built.score.max);
  });

  it('says "None" only when the team covered every expected action', async () => {
    const t = await holidayDrill();
    await t.ic.say("Declaring SEV-2. I'm incident commander; status updates every 30 minutes in this channel.");
    await t.wait(4);
    await t.ic.say('We fall back to the RB-2 rules engine per playbook FR-3; fraud losses stay inside the $40k limit.');
    await t.ic.command('drill', 'decide', 'fallback-rules');
    await t.ml.say('Sentinel v7 keeps scoring in shadow mode so we can compare scores side by side.');
    await t.ops.say('Support gets a script for declined customers: retry the card or call us. I posted a holding statement on the status page for merchants and the reporter.');
    await t.ds.say(THE_DRIFT_MESSAGE);
    await t.ic.say("We'll hold a blameless post-mortem on Thursday with engineering, data science and fraud ops, with a timeline and owners for each action.");
    await t.ds.say('I will redesign the retraining schedule with holiday and calendar features, plus a PSI alert that would have fired on November 25.');
    await t.ic.say('We add this failure mode to the risk register and update the playbook for next November.');
    const { reply, built } = await t.end();

    expect(new Set((await t.actionsTaken()))).toEqual(new Set(t.d.expectedActions.map((a) => a.id)));
    expectReportAgrees(reply, built);
    expect(section(reply, 'Gaps').body).toBe('None: every expected action was covered.');
    expect(built.gaps).toEqual([]);
    expect(built.objectives.every((o) => o.covered)).toBe(true);
    expect(built.score.points).toBe(built.score.max);
  });

  it('keeps a decision nobody took among the gaps, beside every action not taken', async () => {
    const t = await holidayDrill();
    await t.wait(4); // the containment decision is on the table and nobody takes it
    const { reply, built } = await t.end();
    expectReportAgrees(reply, built);
    expect(section(reply, 'Gaps').body).toMatch(/Decision left open: How do you contain/);
  });
});

describe('classifying the drift in the holiday fraud drill', () => {
  it('credits a statement of both kinds of drift with evidence, and meets the objective it serves', async () => {
    const t = await holidayDrill();
    await t.ds.say(THE_DRIFT_MESSAGE);
    const { reply, built } = await t.end();
    const action = built.objectives.flatMap((o) => o.actions).find((a) => a.id === 'classify-drift')!;
    expect(action.covered).toBe(true);
    expect(action.role).toBe('Data scientist');
    expect(THE_DRIFT_MESSAGE).toContain(action.quote!);
    const objective = built.objectives.find((o) => o.actions.some((a) => a.id === 'classify-drift'))!;
    expect(objective.id).toBe('classify');
    expect(objective.covered).toBe(true);
    expect(section(reply, 'Strengths').body).toContain(`Objective met: ${objective.description}`);
    expectReportAgrees(reply, built);
  });

  it('does not credit a bare list of the two terms', async () => {
    const t = await holidayDrill();
    await t.ds.say('data drift concept drift');
    await t.ds.say('Data drift, concept drift, PSI.');
    expect((await t.actionsTaken())).toEqual([]);
    const { reply, built } = await t.end();
    expect(section(reply, 'Gaps').body).toContain(t.d.expectedActions.find((a) => a.id === 'classify-drift')!.description);
    expectReportAgrees(reply, built);
  });

  it('credits every action one message shows', async () => {
    const t = await holidayDrill();
    await t.ic.say("I'm declaring SEV-2 and we fall back to the rules engine now. Omar, put a holding statement on the status page for merchants.");
    expect(new Set((await t.actionsTaken()))).toEqual(new Set(['declare-incident', 'fallback-to-rules', 'customer-comms']));
  });
});
