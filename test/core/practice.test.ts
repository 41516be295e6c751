import { describe, expect, it } from 'vitest';
import { actionName } from '../../src/core/kernel/actions.js';
import type { Grader } from '../../src/core/kernel/grading.js';
import { createLexicalGrader } from '../../src/grading/lexical/grader.js';
import { catalog, harness, questionOfKind } from '../support/harness.js';

const behavioral = () => questionOfKind('behavioral');
const technical = () => questionOfKind('technical');

describe('a practice session, as a transcript', () => {
  it('asks, grades with evidence and STAR, probes the weakest criterion, and sums up', async () => {
    const { room, store } = await harness();
    const ana = room.user('U1', 'Ana');
    const q = behavioral();

    const [opening] = await ana.command('practice', q.id);
    expect(opening).toMatchObject({ role: 'question', opens: { kind: 'practice' }, visibility: 'public' });
    expect(opening!.text).toContain(q.prompt);
    expect(opening!.text).toContain('STAR');
    expect(opening!.actions?.map((a) => actionName(a.action))).toEqual(['answer-form', 'hint', 'skip', 'end']);

    const replies = await ana.say(q.modelAnswer);
    const [card, probe] = replies;
    expect(card).toMatchObject({ role: 'scorecard', visibility: { onlyFor: { userId: 'U1' } } });
    expect(card!.text).toMatch(/Score: \d+\/100/);
    const star = card!.sections!.find((s) => s.title === 'STAR')!;
    expect(star.fields!.map(([part]) => part)).toEqual(['Situation', 'Task', 'Action', 'Result']);
    expect(star.fields!.filter(([, v]) => v.startsWith('✓')).length).toBeGreaterThanOrEqual(3);

    const turn = (await store.turns((await store.activeSession(1))!.id))[0]!;
    expect(turn.answer).toBe(q.modelAnswer);
    for (const c of turn.grade!.criteria) for (const e of c.evidence) expect(q.modelAnswer).toContain(e);

    // The follow-up aims at the lowest-scored criterion.
    expect(probe).toMatchObject({ role: 'probe' });
    const followUp = (await store.currentTurn(turn.sessionId))!;
    const lowest = Math.min(...turn.grade!.criteria.map((c) => c.score));
    expect(turn.grade!.criteria.find((c) => c.id === followUp.probeGap)!.score).toBe(lowest);

    const after = await ana.say('I would quantify the impact in revenue and hours saved, and I agreed a 2 week timeline with the team lead.');
    expect(after.map((r) => r.role)).toEqual(['scorecard', 'summary']);
    expect(after[1]!.text).toMatch(/1 of 1 question graded, average \d+\/100/);
    expect(await store.activeSession(1)).toBeUndefined();
  });

  it('plans a default session as a mix of kinds and never repeats a question', async () => {
    const { room, store } = await harness();
    await room.user('U1').command('practice');
    const plan = (await store.activeSession(1))!.plan;
    expect(plan).toHaveLength(3);
    expect(new Set(plan).size).toBe(3);
    expect(new Set(plan.map((id) => catalog().questions.get(id)!.kind)).size).toBeGreaterThanOrEqual(2);
  });

  it('prefers questions the user has not seen yet', async () => {
    const { room, store } = await harness();
    const u = room.user('U1');
    await u.command('practice', '2');
    const first = (await store.activeSession(1))!.plan;
    await u.command('end');
    await u.command('practice', '2');
    const second = (await store.activeSession(1))!.plan;
    expect(second.filter((id) => first.includes(id))).toEqual([]);
  });

  it('gives the authored hints in order, then says there are no more', async () => {
    const { room } = await harness();
    const u = room.user('U1');
    const q = technical();
    await u.command('practice', q.id);
    for (const hint of q.hints) expect((await u.command('hint'))[0]!.text).toContain(hint);
    expect((await u.command('hint'))[0]!.text).toMatch(/No more hints/);
  });

  it('skips to the next question and ends with a summary of what was graded', async () => {
    const { room } = await harness();
    const u = room.user('U1');
    await u.command('practice', '2');
    const skipped = await u.command('skip');
    expect(skipped.map((r) => r.role)).toEqual(['info', 'question']);
    expect(skipped[1]!.text).toContain('Question 2 of 2');
    const end = await u.command('end');
    expect(end[0]!.text).toMatch(/No answers were graded/);
    expect((await u.command('end'))[0]!.text).toMatch(/No practice session in progress/);
  });

  it('keeps history across sessions', async () => {
    const { room } = await harness();
    const u = room.user('U1');
    const q = technical();
    await u.command('practice', q.id);
    await u.say(q.modelAnswer);
    await u.command('end');
    const [history] = await u.command('history');
    expect(history!.sections![0]!.fields![0]![1]).toMatch(/^1\/1 graded · average \d+\/100$/);
  });

  it('does not store an empty answer, and cuts a 100,000-character one with a notice', async () => {
    const { room, store } = await harness();
    const u = room.user('U1');
    await u.command('practice', technical().id);
    expect((await u.say('   \n  '))[0]!.text).toMatch(/empty/);
    expect((await store.currentTurn((await store.activeSession(1))!.id))!.status).toBe('asked');

    const huge = 'precision recall monitoring '.repeat(4000);
    const replies = await u.say(huge);
    expect(replies[0]!.text).toMatch(/only the first 20,000 were kept/);
    expect(replies.some((r) => r.role === 'scorecard')).toBe(true);
    const stored = (await store.turns((await store.activeSession(1))!.id))[0]!.answer!;
    expect(stored.length).toBe(20_000);
  });

  it('strips control characters from an answer before storing it', async () => {
    const { room, store } = await harness();
    const u = room.user('U1');
    await u.command('practice', technical().id);
    await u.say('I would check\u0000 precision\u0007 and recall\r\nper class.');
    expect((await store.turns((await store.activeSession(1))!.id))[0]!.answer).toBe('I would check precision and recall\nper class.');
  });

  it('tells the user what it does not know instead of starting an unfiltered session', async () => {
    const { room, store } = await harness();
    const [reply] = await room.user('U1').command('practice', 'astrology');
    expect(reply).toMatchObject({ role: 'error' });
    expect(reply!.text).toMatch(/I don't know "astrology"/);
    expect(await store.activeSession(1)).toBeUndefined();
  });

  it('ignores bots, including itself', async () => {
    const { bot, room } = await harness();
    const u = room.user('B1');
    expect(await bot.handle({ kind: 'command', name: 'practice', args: [], actor: { ...u.actor, isBot: true }, conversation: u.conversation })).toEqual([]);
  });

  it('answers through the form as well as by message', async () => {
    const { room } = await harness();
    const u = room.user('U1');
    await u.command('practice', technical().id);
    const [form] = await u.click({ do: 'answer-form' });
    expect(form!.form).toMatchObject({ submits: { for: 'answer' }, fields: [{ id: 'answer', multiline: true }] });
    const graded = await u.submit({ for: 'answer' }, { answer: technical().modelAnswer });
    expect(graded[0]!.role).toBe('scorecard');
  });
});

describe('people and workspaces stay apart', () => {
  it('does not let one user answer, resume or share another user\'s session', async () => {
    const { room, store } = await harness();
    const ana = room.user('U1', 'Ana');
    const bob = room.user('U2', 'Bob');
    const q = technical();
    await ana.command('practice', q.id);
    expect((await bob.say('an answer from the wrong person'))[0]!.text).toMatch(/Say `practice`/);
    await ana.say(q.modelAnswer);
    const turnId = (await store.turns((await store.activeSession(1))!.id))[0]!.id;

    expect((await bob.click({ do: 'share', turn: turnId }))[0]!.text).toMatch(/no longer available/);
    const shared = await ana.click({ do: 'share', turn: turnId });
    expect(shared[0]).toMatchObject({ visibility: 'public', role: 'scorecard' });
    expect(shared[0]!.text).toContain('Ana shared a scorecard');
  });

  it('keeps the same user id in two workspaces as two people', async () => {
    const { room } = await harness();
    const inA = room.user('U1', 'Ana', { workspace: 'A' });
    const inB = room.user('U1', 'Ana', { workspace: 'B' });
    await inA.command('practice', technical().id);
    expect((await inB.command('history'))[0]!.text).toMatch(/No sessions yet/);
    expect((await inB.command('hint'))[0]!.text).toMatch(/No practice session/);
  });
});

describe('nothing is lost when grading fails or the process dies', () => {
  it('keeps an answer whose grading failed and grades it when the user comes back', async () => {
    let failing = true;
    const lexical = createLexicalGrader();
    const flaky: Grader = { kind: 'lexical', grade: (req) => (failing ? Promise.reject(new Error('boom')) : lexical.grade(req)) };
    const { room, store } = await harness({ grader: flaky });
    const u = room.user('U1');
    const q = technical();
    await u.command('practice', q.id);
    expect((await u.say(q.modelAnswer))[0]!.text).toMatch(/Your answer is saved/);
    expect(await store.pendingTurns()).toHaveLength(1);

    failing = false;
    const resumed = await u.command('practice');
    expect(resumed.map((r) => r.role)).toEqual(['info', 'info', 'scorecard', 'probe']);
    expect(await store.pendingTurns()).toHaveLength(0);
  });

  it('grades answers left ungraded by a crash when the bot starts again, for their owner', async () => {
    const file = `${process.env['TMPDIR'] ?? '/tmp'}/sparring-crash-${process.pid}-${Date.now()}.db`;
    const first = await harness({ file });
    const u = first.room.user('U7', 'Kim');
    const q = technical();
    await u.command('practice', q.id);
    // The crash: the answer was written, then the process died before grading finished.
    const session = (await first.store.activeSession(1))!;
    await first.store.recordAnswer((await first.store.currentTurn(session.id))!.id, q.modelAnswer, first.clock.now());
    first.db.close();

    const second = await harness({ file });
    const delivered = await second.room.recover();
    expect(delivered[0]).toMatchObject({ role: 'scorecard', visibility: { onlyFor: { userId: 'U7' } } });
    expect(await second.store.pendingTurns()).toHaveLength(0);
    second.db.close();
  });

  it('recovers only its own platform\'s answers: another platform\'s stay pending for the process that can deliver them', async () => {
    const file = `${process.env['TMPDIR'] ?? '/tmp'}/sparring-crash-scope-${process.pid}-${Date.now()}.db`;
    const first = await harness({ file });
    const q = technical();
    await first.room.user('U7', 'Kim').command('practice', q.id);
    const slackAna = { platform: 'slack' as const, workspace: 'T1', userId: 'U1ANA', displayName: 'Ana', isBot: false };
    await first.bot.handle({ kind: 'command', name: 'practice', args: [q.id], actor: slackAna, conversation: { platform: 'slack', workspace: 'T1', channel: 'C1' } });
    // The crash: both answers were written, then the process died before grading them.
    for (const s of [(await first.store.activeSession(1))!, (await first.store.activeSession(2))!]) {
      await first.store.recordAnswer((await first.store.currentTurn(s.id))!.id, q.modelAnswer, first.clock.now());
    }
    first.db.close();

    const second = await harness({ file });
    const mine = await second.room.recover();
    expect(mine.map((r) => r.to.platform)).not.toContain('slack');
    expect(mine[0]).toMatchObject({ role: 'scorecard', visibility: { onlyFor: { userId: 'U7' } } });
    // Slack's answer is still waiting, for the Slack process that can deliver its scorecard.
    expect(await second.store.pendingTurns()).toHaveLength(1);
    // A process serving another workspace (a Discord shard, say) leaves it alone too.
    expect(await second.bot.work({ platform: 'slack', workspace: (w) => w === 'T2' })).toEqual([]);
    const slack = await second.bot.work({ platform: 'slack', workspace: (w) => w === 'T1' });
    expect(slack[0]).toMatchObject({ role: 'scorecard', to: { platform: 'slack' }, visibility: { onlyFor: { userId: 'U1ANA' } } });
    expect(await second.store.pendingTurns()).toHaveLength(0);
    second.db.close();
  });
});
