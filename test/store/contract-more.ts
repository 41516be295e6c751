import { describe, expect, it } from 'vitest';
import type { Stores } from '../../src/store/ports.js';
import { DAY, grade, MINUTE, person, room, T0, type StoreFixture } from './contract-support.js';

/** The store contract, continued: drills, mock interviews, schedules, forget-me, platform state. */
export function storeContractMore(s: () => Stores, use: () => StoreFixture): void {
  describe('drills', () => {
    it('belongs to its room until it ends; a status change stamps its start and end', async () => {
      const fran = await s().practice.upsertUser(person('UF', 'Fran'));
      const where = room('C1', '1700.01');
      const drill = await s().drills.createDrill('fraud-drift', where, fran.id, T0);
      expect(drill).toMatchObject({ scenarioId: 'fraud-drift', conversation: where, facilitatorId: fran.id, status: 'lobby', createdAt: T0 });
      expect((await s().drills.drillIn(where))?.id).toBe(drill.id);
      expect(await s().drills.drillIn(room('C1'))).toBeUndefined();

      await s().drills.setStatus(drill.id, 'running', T0 + MINUTE);
      await s().drills.setStatus(drill.id, 'paused', T0 + 2 * MINUTE);
      await s().drills.setStatus(drill.id, 'running', T0 + 3 * MINUTE);
      expect(await s().drills.getDrill(drill.id)).toMatchObject({ status: 'running', startedAt: T0 + MINUTE });
      await s().drills.moveDrill(drill.id, room('C2', '1800.02'));
      expect((await s().drills.drillIn(room('C2', '1800.02')))?.id).toBe(drill.id);
      await s().drills.setStatus(drill.id, 'ended', T0 + 9 * MINUTE);
      expect(await s().drills.drillIn(room('C2', '1800.02'))).toBeUndefined();
      expect(await s().drills.getDrill(drill.id)).toMatchObject({ status: 'ended', endedAt: T0 + 9 * MINUTE });
    });

    it('keeps who takes part with their role, and every event in order with its author', async () => {
      const fran = await s().practice.upsertUser(person('UF', 'Fran'));
      const ines = await s().practice.upsertUser(person('UI', 'Ines'));
      const drill = await s().drills.createDrill('fraud-drift', room('C1'), fran.id, T0);
      await s().drills.join(drill.id, ines.id, 'incident-commander', T0 + 1);
      await s().drills.join(drill.id, fran.id, 'ml-engineer', T0 + 2);
      await s().drills.leave(drill.id, ines.id, T0 + 3);
      expect(await s().drills.participants(drill.id)).toEqual([
        { userId: ines.id, displayName: 'Ines', role: 'incident-commander', joinedAt: T0 + 1, leftAt: T0 + 3 },
        { userId: fran.id, displayName: 'Fran', role: 'ml-engineer', joinedAt: T0 + 2 },
      ]);
      await s().drills.join(drill.id, ines.id, 'all', T0 + 4);
      expect((await s().drills.participants(drill.id))[0]).toEqual({ userId: ines.id, displayName: 'Ines', role: 'all', joinedAt: T0 + 1 });

      await s().drills.addEvent(drill.id, { at: T0 + 5, kind: 'inject', ref: 'start', value: 'start' });
      const said = await s().drills.addEvent(drill.id, { at: T0 + 6, kind: 'message', userId: ines.id, role: 'all', value: 'Roll back the model.' });
      await s().drills.addEvent(drill.id, { at: T0 + 6, kind: 'action', userId: ines.id, role: 'all', ref: 'rollback', detail: 'Roll back' });
      await s().drills.addEvent(drill.id, { at: T0 + 7, kind: 'inject', ref: 'second', value: 'timer' });
      expect(said).toMatchObject({ at: T0 + 6, kind: 'message', userId: ines.id, value: 'Roll back the model.' });
      expect(await s().drills.events(drill.id)).toEqual([
        { id: expect.any(Number), at: T0 + 5, kind: 'inject', ref: 'start', value: 'start' },
        { id: said.id, at: T0 + 6, kind: 'message', userId: ines.id, displayName: 'Ines', role: 'all', value: 'Roll back the model.' },
        { id: expect.any(Number), at: T0 + 6, kind: 'action', userId: ines.id, displayName: 'Ines', role: 'all', ref: 'rollback', detail: 'Roll back' },
        { id: expect.any(Number), at: T0 + 7, kind: 'inject', ref: 'second', value: 'timer' },
      ]);
      expect(await s().drills.eventRefs(drill.id, 'inject')).toEqual(['start', 'second']);
    });

    it('fires a due timer once, only while its drill runs; pausing keeps the time left', async () => {
      const fran = await s().practice.upsertUser(person('UF', 'Fran'));
      const drill = await s().drills.createDrill('fraud-drift', room('C1'), fran.id, T0);
      await s().drills.schedule(drill.id, 'first', T0 + MINUTE);
      await s().drills.schedule(drill.id, 'second', T0 + 2 * MINUTE);
      expect(await s().drills.dueTimers(T0 + 10 * MINUTE)).toEqual([]); // still in the lobby

      await s().drills.setStatus(drill.id, 'running', T0);
      expect((await s().drills.dueTimers(T0 + 90_000)).map((t) => t.injectId)).toEqual(['first']);
      const [first] = await s().drills.dueTimers(T0 + 90_000);
      expect(await s().drills.fireTimer(first!.id)).toBe(true);
      expect(await s().drills.fireTimer(first!.id)).toBe(false);
      // Two processes claiming one timer at once: one of them gets it.
      const [second] = await s().drills.dueTimers(T0 + 3 * MINUTE);
      expect((await Promise.all([s().drills.fireTimer(second!.id), s().drills.fireTimer(second!.id)])).sort()).toEqual([false, true]);

      await s().drills.schedule(drill.id, 'third', T0 + 4 * MINUTE);
      await s().drills.pauseTimers(drill.id, T0 + 3 * MINUTE);
      expect(await s().drills.pendingTimers(drill.id)).toEqual([{ id: expect.any(Number), drillId: drill.id, injectId: 'third', remainingMs: MINUTE }]);
      await s().drills.resumeTimers(drill.id, T0 + 60 * MINUTE);
      expect(await s().drills.pendingTimers(drill.id)).toEqual([{ id: expect.any(Number), drillId: drill.id, injectId: 'third', dueAt: T0 + 61 * MINUTE }]);
      await s().drills.cancelTimers(drill.id, 'third');
      expect(await s().drills.pendingTimers(drill.id)).toEqual([]);
    });
  });

  describe('mock interviews', () => {
    it('start with their manager on the panel; a scorer has one score per question, updated in place', async () => {
      const mia = await s().practice.upsertUser(person('UM', 'Mia'));
      const cara = await s().practice.upsertUser(person('UC', 'Cara'));
      const noor = await s().practice.upsertUser(person('UN', 'Noor'));
      const session = await s().practice.createSession(cara.id, room('@UC'), ['q1'], T0, 'mock');
      const turn = await s().practice.addTurn({ sessionId: session.id, questionId: 'q1', kind: 'main', prompt: 'p', askedAt: T0 });
      const mock = await s().mocks.createMock({ managerId: mia.id, candidateId: cara.id, sessionId: session.id, managerConversation: room('C-mgr'), createdAt: T0 });
      expect(mock).toMatchObject({ managerId: mia.id, candidateId: cara.id, sessionId: session.id, managerConversation: room('C-mgr'), status: 'active', released: false, createdAt: T0 });
      expect(await s().mocks.panel(mock.id)).toEqual([{ userId: mia.id, displayName: 'Mia' }]);
      expect((await s().mocks.mockForSession(session.id))?.id).toBe(mock.id);

      await s().mocks.addPanelist(mock.id, noor.id, T0 + 1);
      await s().mocks.addPanelist(mock.id, noor.id, T0 + 2);
      expect((await s().mocks.panel(mock.id)).map((p) => p.displayName)).toEqual(['Mia', 'Noor']);
      expect((await s().mocks.mocksForPanelist(noor.id, 10)).map((m) => m.id)).toEqual([mock.id]);

      await s().mocks.score(mock.id, turn.id, noor.id, 55, 'vague', T0 + 3);
      await s().mocks.score(mock.id, turn.id, noor.id, 65, 'clearer on a second read', T0 + 4);
      await s().mocks.score(mock.id, turn.id, mia.id, 70, '', T0 + 5);
      expect(await s().mocks.scores(mock.id)).toEqual([
        { turnId: turn.id, scorerId: noor.id, scorerName: 'Noor', score: 65, notes: 'clearer on a second read', at: T0 + 4 },
        { turnId: turn.id, scorerId: mia.id, scorerName: 'Mia', score: 70, notes: '', at: T0 + 5 },
      ]);

      await s().mocks.release(mock.id);
      await s().mocks.finishMock(mock.id, T0 + 6);
      await s().mocks.finishMock(mock.id, T0 + 7);
      expect(await s().mocks.getMock(mock.id)).toMatchObject({ status: 'finished', released: true, finishedAt: T0 + 6 });
    });
  });

  describe('spaced-repetition schedules', () => {
    it('applies each graded answer to its question and reads schedules back by due date', async () => {
      const ana = await s().practice.upsertUser(person('U1', 'Ana'));
      await s().schedules.record(ana.id, 'q1', 100, T0);
      const again = await s().schedules.record(ana.id, 'q1', 100, T0 + DAY);
      await s().schedules.record(ana.id, 'q2', 30, T0);
      expect(again).toMatchObject({ questionId: 'q1', repetitions: 2, intervalDays: 6, lastScore: 100, updatedAt: T0 + DAY });
      const all = await s().schedules.schedules(ana.id);
      expect([...all.keys()]).toEqual(['q2', 'q1']);
      expect(all.get('q1')).toEqual(again);
      expect((await s().schedules.schedules(ana.id + 100)).size).toBe(0);
    });

    it('counts two gradings of one question that land at once', async () => {
      const ana = await s().practice.upsertUser(person('U1', 'Ana'));
      await Promise.all([s().schedules.record(ana.id, 'q1', 100, T0), s().schedules.record(ana.id, 'q1', 100, T0)]);
      expect((await s().schedules.schedules(ana.id)).get('q1')?.repetitions).toBe(2);
    });
  });

  describe('forget-me and retention', () => {
    /** Alice and Bob, each with something everywhere; Bob interviews Alice, and Carol with Alice on the panel. */
    async function world() {
      const st = s();
      const alice = await st.practice.upsertUser(person('UALICE', 'Alice'));
      const bob = await st.practice.upsertUser(person('UBOB', 'Bob'));
      const carol = await st.practice.upsertUser(person('UCAROL', 'Carol'));
      for (const [u, who] of [[alice, 'UALICE'], [bob, 'UBOB']] as const) {
        const session = await st.practice.createSession(u.id, room(`D-${who}`), ['q1'], T0);
        const t = await st.practice.addTurn({ sessionId: session.id, questionId: 'q1', kind: 'main', prompt: 'p', askedAt: T0 });
        await st.practice.recordAnswer(t.id, `${who}'s answer`, T0);
        await st.practice.recordGrade(t.id, grade(50), T0, 1);
        await st.schedules.record(u.id, 'q1', 50, T0);
        await st.platform.setThreadOwner({ ...room('C1'), thread: `ts-${who}` }, who);
        await st.platform.rememberDisplayName(person(who, who === 'UALICE' ? 'Alice' : 'Bob'));
      }
      const drill = await st.drills.createDrill('fraud-drift', room('C-drill'), bob.id, T0);
      await st.drills.join(drill.id, alice.id, 'incident-commander', T0);
      await st.drills.join(drill.id, bob.id, 'ml-engineer', T0);
      await st.drills.addEvent(drill.id, { at: T0, kind: 'message', userId: alice.id, value: 'I am Alice, roll back' });
      await st.drills.addEvent(drill.id, { at: T0, kind: 'message', userId: bob.id, value: 'agreed' });
      const aboutAlice = await st.mocks.createMock({ managerId: bob.id, candidateId: alice.id, managerConversation: room('C-mgr'), createdAt: T0 });
      const carolSession = await st.practice.createSession(carol.id, room('@UCAROL'), ['q1'], T0, 'mock');
      const carolTurn = await st.practice.addTurn({ sessionId: carolSession.id, questionId: 'q1', kind: 'main', prompt: 'p', askedAt: T0 });
      const aboutCarol = await st.mocks.createMock({ managerId: bob.id, candidateId: carol.id, sessionId: carolSession.id, managerConversation: room('C-mgr'), createdAt: T0 + 1 });
      await st.mocks.addPanelist(aboutCarol.id, alice.id, T0);
      await st.mocks.score(aboutCarol.id, carolTurn.id, alice.id, 60, 'alice: solid', T0);
      await st.mocks.score(aboutCarol.id, carolTurn.id, bob.id, 70, 'bob: good', T0);
      return { alice, bob, carol, drill, aboutAlice, aboutCarol };
    }

    it("deletes everything of the user and nothing of anyone else's", async () => {
      const w = await world();
      expect((await s().privacy.forgetUser(w.alice.id)).total).toBeGreaterThan(5);

      expect(await s().practice.userById(w.alice.id)).toBeUndefined();
      expect(await s().practice.history(w.alice.id, 10)).toEqual([]);
      expect((await s().schedules.schedules(w.alice.id)).size).toBe(0);
      expect(await s().platform.threadOwner({ ...room('C1'), thread: 'ts-UALICE' })).toBeUndefined();
      expect(await s().platform.displayName(person('UALICE', ''))).toBeUndefined();
      expect(await s().mocks.getMock(w.aboutAlice.id)).toBeUndefined();
      expect((await s().drills.events(w.drill.id)).map((e) => e.value)).toEqual(['agreed']);

      expect((await s().practice.userById(w.bob.id))?.displayName).toBe('Bob');
      expect((await s().practice.history(w.bob.id, 10)).map((h) => h.graded)).toEqual([1]);
      expect((await s().schedules.schedules(w.bob.id)).size).toBe(1);
      expect(await s().platform.threadOwner({ ...room('C1'), thread: 'ts-UBOB' })).toBe('UBOB');
      expect(await s().platform.displayName(person('UBOB', ''))).toBe('Bob');
      expect((await s().drills.participants(w.drill.id)).map((p) => p.displayName)).toEqual(['Bob']);
      expect((await s().mocks.panel(w.aboutCarol.id)).map((p) => p.displayName)).toEqual(['Bob']);
      expect((await s().mocks.scores(w.aboutCarol.id)).map((x) => x.notes)).toEqual(['bob: good']);
      expect((await s().practice.userById(w.carol.id))?.displayName).toBe('Carol');
    });

    it('forgets a user with more sessions than one batch takes, all of them, and keeps the others', async () => {
      const w = await world();
      const sessions: number[] = [];
      for (let i = 0; i < 450; i++) {
        const session = await s().practice.createSession(w.alice.id, room('C1'), ['q1'], T0 + i);
        await s().practice.addTurn({ sessionId: session.id, questionId: 'q1', kind: 'main', prompt: 'p', askedAt: T0 + i });
        sessions.push(session.id);
      }
      const counts = await s().privacy.forgetUser(w.alice.id);
      expect(counts.total).toBeGreaterThan(900);
      expect(await s().practice.userById(w.alice.id)).toBeUndefined();
      for (const id of [sessions[0]!, sessions[225]!, sessions[449]!]) expect(await s().practice.getSession(id)).toBeUndefined();
      expect((await s().practice.history(w.bob.id, 10)).length).toBe(1);
    });

    it('forgetting someone unknown deletes nothing', async () => {
      const w = await world();
      expect((await s().privacy.forgetUser(w.alice.id + w.bob.id + w.carol.id + 100)).total).toBe(0);
      expect((await s().practice.history(w.alice.id, 10)).length).toBe(1);
    });

    it('retention drops old sessions and long-ended drills, and keeps recent ones and schedules', async () => {
      const ana = await s().practice.upsertUser(person('U1', 'Ana'));
      const old = await s().practice.createSession(ana.id, room('C1'), ['q1'], T0 - 100 * DAY);
      const recent = await s().practice.createSession(ana.id, room('C1'), ['q1'], T0 - DAY);
      await s().schedules.record(ana.id, 'q1', 50, T0 - 100 * DAY);
      const ended = await s().drills.createDrill('fraud-drift', room('C2'), ana.id, T0 - 120 * DAY);
      await s().drills.setStatus(ended.id, 'ended', T0 - 100 * DAY);
      const running = await s().drills.createDrill('fraud-drift', room('C3'), ana.id, T0 - 120 * DAY);

      expect((await s().applyRetention(90, T0)).total).toBeGreaterThanOrEqual(2);
      expect(await s().practice.getSession(old.id)).toBeUndefined();
      expect(await s().practice.getSession(recent.id)).toBeDefined();
      expect(await s().drills.getDrill(ended.id)).toBeUndefined();
      expect(await s().drills.getDrill(running.id)).toBeDefined();
      expect((await s().schedules.schedules(ana.id)).size).toBe(1);
      expect((await s().applyRetention(90, T0)).total).toBe(0);
    });
  });

  describe('platform state', () => {
    it('says an event id was seen from its second delivery on, per platform', async () => {
      expect(await s().platform.seenEvent('slack', 'Ev1')).toBe(false);
      expect(await s().platform.seenEvent('slack', 'Ev1')).toBe(true);
      expect(await s().platform.seenEvent('discord', 'Ev1')).toBe(false);
      // One retry racing another: exactly one of them is the first.
      expect((await Promise.all([s().platform.seenEvent('slack', 'Ev2'), s().platform.seenEvent('slack', 'Ev2')])).sort()).toEqual([false, true]);
    });

    it("keeps a thread's latest owner and a person's latest name, per workspace", async () => {
      const thread = { ...room('C1'), thread: '1700.01' };
      expect(await s().platform.threadOwner(thread)).toBeUndefined();
      await s().platform.setThreadOwner(thread, 'U1');
      await s().platform.setThreadOwner(thread, 'U2');
      expect(await s().platform.threadOwner(thread)).toBe('U2');
      expect(await s().platform.threadOwner({ ...room('C1', undefined, 'T2'), thread: '1700.01' })).toBeUndefined();

      await s().platform.rememberDisplayName(person('U1', 'Ana'));
      await s().platform.rememberDisplayName(person('U1', 'Ana Lima'));
      expect(await s().platform.displayName(person('U1', ''))).toBe('Ana Lima');
      expect(await s().platform.displayName(person('U1', '', { workspace: 'T2' }))).toBeUndefined();
    });

    it('survives reopening the database, with an answer that was stored but not graded', async () => {
      const thread = { ...room('C1'), thread: '1700.01' };
      await s().platform.seenEvent('slack', 'Ev1');
      await s().platform.setThreadOwner(thread, 'U1');
      await s().platform.rememberDisplayName(person('U1', 'Ana'));
      const ana = await s().practice.upsertUser(person('U1', 'Ana'));
      const session = await s().practice.createSession(ana.id, thread, ['q1'], T0);
      const turn = await s().practice.addTurn({ sessionId: session.id, questionId: 'q1', kind: 'main', prompt: 'p', askedAt: T0 });
      await s().practice.recordAnswer(turn.id, 'stored before the crash', T0);

      const again = await use().reopen();
      expect(await again.platform.seenEvent('slack', 'Ev1')).toBe(true);
      expect(await again.platform.threadOwner(thread)).toBe('U1');
      expect(await again.platform.displayName(person('U1', ''))).toBe('Ana');
      expect((await again.practice.pendingTurns()).map((t) => t.answer)).toEqual(['stored before the crash']);
      expect((await again.practice.activeSession(ana.id))?.conversation).toEqual(thread);
    });
  });
}
