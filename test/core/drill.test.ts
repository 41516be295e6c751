import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Drill } from '../../src/content/schema.js';
import { buildDrillReport, drillReportMarkdown } from '../../src/core/drill/report.js';
import { catalog, harness, manualClock, type Harness } from '../support/harness.js';

const drills = () => [...catalog().drills.values()];
const sentence = (d: Drill, actionId: string) => {
  const a = d.expectedActions.find((x) => x.id === actionId)!;
  return `I think we should ${a.signals[0]!.terms[0]} now.`;
};

/** Facilitator plus one player per role, drill begun. */
async function openDrill(d: Drill, given?: Harness) {
  const h = given ?? (await harness());
  const fac = h.room.user('F', 'Fran');
  await fac.command('drill', d.id);
  const players = d.roles.map((r, i) => ({ role: r.id, user: h.room.user(`P${i}`, `Player ${i}`) }));
  for (const p of players) await p.user.command('drill', 'join', p.role);
  const begun = await fac.command('drill', 'begin');
  return { ...h, fac, players, begun, drillRow: (await h.drills.drillIn(fac.conversation))! };
}

describe('every authored drill, played to its report', () => {
  it.each(drills().map((d) => [d.id, d] as const))('%s', async (_id, d) => {
    const h = await openDrill(d);
    const start = d.injects.find((i) => i.release.kind === 'start')!;
    expect(h.begun.map((r) => r.text).join('\n')).toContain(start.title);

    // Let the clock run out so every timed inject on the path is released, deciding as we go.
    for (let step = 0; step < 40; step++) {
      h.clock.advance(60_000);
      const released = await h.bot.tick();
      for (const reply of released) {
        const decide = reply.actions?.map((a) => a.action).find((a) => a.do === 'drill-decide');
        if (!decide) continue;
        const decision = d.injects.flatMap((i) => (i.decision ? [i.decision] : [])).find((x) => x.id === decide.decision)!;
        const option = decision.options.find((o) => o.recommended)!;
        const voters = decision.vote ? h.players : h.players.filter((p) => p.role === decision.owner);
        for (const v of voters) await v.user.click({ do: 'drill-decide', decision: decision.id, option: option.id });
      }
    }
    // Each expected action is said by the role it belongs to (or anyone).
    for (const a of d.expectedActions) {
      const who = h.players.find((p) => p.role === a.role) ?? h.players[0]!;
      await who.user.say(sentence(d, a.id));
    }
    const [report] = await h.fac.command('drill', 'end');
    expect(report!.role).toBe('summary');
    expect(report!.text).toMatch(/After-action report/);

    const built = buildDrillReport((await h.drills.getDrill(h.drillRow.id))!, d, await h.drills.events(h.drillRow.id), await h.drills.participants(h.drillRow.id));
    expect(built.score.points).toBe(built.score.max);
    expect(built.firstKeyActionMinute).toBeDefined();
    expect(built.decisions.every((dec) => dec.followedRecommendation !== false)).toBe(true);
    expect(built.debrief).toEqual(d.debrief);
  });
});

describe('running a drill', () => {
  const d = () => drills()[0]!;

  it('releases an overdue inject at once after a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sparring-drill-')), 'd.db');
    const clock = manualClock();
    const first = await openDrill(d(), await harness({ file, clock }));
    const timer = (await first.drills.pendingTimers(first.drillRow.id))[0]!;
    first.db.close();

    clock.advance(timer.dueAt! - clock.now() + 5 * 60_000); // the process was down past the due time
    const second = await harness({ file, clock });
    const released = await second.bot.tick();
    expect(released[0]!.text).toContain(d().injects.find((i) => i.id === timer.injectId)!.title);
    expect(await second.bot.tick()).toEqual([]);
    second.db.close();
  });

  it('records ten people posting at once, every message, in the order sent', async () => {
    const h = await openDrill(d());
    const crowd = Array.from({ length: 10 }, (_, i) => h.room.user(`C${i}`, `Crowd ${i}`));
    await Promise.all(crowd.map((u, i) => u.say(`message ${i} from the crowd`)));
    const messages = (await h.drills.events(h.drillRow.id)).filter((e) => e.kind === 'message').map((e) => e.value);
    expect(messages).toEqual(crowd.map((_, i) => `message ${i} from the crowd`));
  });

  it('keeps two drills in two channels apart', async () => {
    const h = await harness();
    const a = h.room.user('F1', 'A', { channel: 'ops-a' });
    const b = h.room.user('F2', 'B', { channel: 'ops-b' });
    await a.command('drill', d().id);
    await b.command('drill', d().id);
    await a.command('drill', 'join', d().roles[0]!.id);
    await a.command('drill', 'begin');
    await a.say('only in channel a');
    const da = (await h.drills.drillIn(a.conversation))!;
    const db = (await h.drills.drillIn(b.conversation))!;
    expect(da.id).not.toBe(db.id);
    expect(await h.drills.events(db.id)).toEqual([]);
    expect(db.status).toBe('lobby');
  });

  it('gives a returning participant their role back', async () => {
    const h = await openDrill(d());
    const p = h.players[1]!;
    await p.user.command('drill', 'leave');
    const [back] = await p.user.command('drill', 'join');
    expect(back!.text).toContain('is back as');
    expect((await h.drills.participants(h.drillRow.id)).find((x) => x.displayName === 'Player 1')!.role).toBe(p.role);
  });

  it('lets only the facilitator run the drill, and holds timers while paused', async () => {
    const h = await openDrill(d());
    expect((await h.players[0]!.user.command('drill', 'pause'))[0]!.text).toMatch(/Only the facilitator/);
    await h.fac.command('drill', 'pause');
    h.clock.advance(60 * 60_000);
    expect(await h.bot.tick()).toEqual([]);
    await h.fac.command('drill', 'resume');
    h.clock.advance(60 * 60_000);
    expect((await h.bot.tick()).length).toBeGreaterThan(0);
  });

  it('leaves a decision to its owner role', async () => {
    const scenario = drills().find((x) => x.injects.some((i) => i.decision && !i.decision.vote))!;
    const h = await openDrill(scenario);
    const inject = scenario.injects.find((i) => i.decision && !i.decision.vote)!;
    await h.fac.command('drill', 'release', inject.id);
    const decision = inject.decision!;
    const outsider = h.players.find((p) => p.role !== decision.owner)!;
    const option = decision.options[0]!;
    expect((await outsider.user.command('drill', 'decide', option.id))[0]!.text).toMatch(/belongs to/);
    const owner = h.players.find((p) => p.role === decision.owner)!;
    expect((await owner.user.command('drill', 'decide', option.id))[0]!.text).toContain(option.label);
  });

  it('tells pickers the roles and the open decision from the store, and refuses a click on a closed decision', async () => {
    const scenario = drills().find((x) => x.injects.some((i) => i.decision && !i.decision.vote))!;
    const h = await openDrill(scenario);
    expect(await h.bot.drillChoices({ ...h.fac.conversation, channel: 'elsewhere' })).toBeUndefined();
    const before = (await h.bot.drillChoices(h.fac.conversation))!;
    expect(before.roles).toEqual(scenario.roles.map((r) => ({ id: r.id, name: r.name })));
    const inject = scenario.injects.find((i) => i.decision && !i.decision.vote)!;
    const decision = inject.decision!;
    await h.fac.command('drill', 'release', inject.id);
    expect((await h.bot.drillChoices(h.fac.conversation))!.decision).toEqual({ id: decision.id, options: decision.options.map((o) => ({ id: o.id, label: o.label })) });
    const owner = h.players.find((p) => p.role === decision.owner)!;
    const option = decision.options[0]!;
    expect((await owner.user.click({ do: 'drill-decide', decision: decision.id, option: option.id }))[0]!.text).toContain(option.label);
    expect((await h.bot.drillChoices(h.fac.conversation))!.decision?.id).not.toBe(decision.id);
    expect((await owner.user.click({ do: 'drill-decide', decision: decision.id, option: option.id }))[0]!.text).toMatch(/no open decision/);
  });

  it('exports a finished drill as Markdown', async () => {
    const h = await openDrill(d());
    await h.players[0]!.user.say(sentence(d(), d().expectedActions[0]!.id));
    await h.fac.command('drill', 'end');
    const report = buildDrillReport((await h.drills.getDrill(h.drillRow.id))!, d(), await h.drills.events(h.drillRow.id), await h.drills.participants(h.drillRow.id));
    const md = drillReportMarkdown(report);
    expect(md).toMatch(/^# After-action report: /);
    for (const heading of ['## Timeline', '## Decisions', '## Coverage', '## Strengths', '## Gaps', '## Improvement actions', '## Debrief questions']) expect(md).toContain(heading);
    expect(md).toContain(d().expectedActions[0]!.description);
  });
});

describe('drill timers across platforms', () => {
  it('leaves another platform\'s due inject for its own process', async () => {
    const d = drills()[0]!;
    const h = await openDrill(d);
    h.clock.advance(24 * 60 * 60_000);
    expect(await h.bot.tick('slack')).toEqual([]);
    expect((await h.bot.tick('memory')).length).toBeGreaterThan(0);
  });
});
