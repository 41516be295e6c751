import { describe, expect, it } from 'vitest';
import { storeContractJobs } from './contract-jobs.js';
import { storeContractMore } from './contract-more.js';
import { DAY, grade, MINUTE, person, room, T0, withFixture, type OpenFixture } from './contract-support.js';

export type { OpenFixture, StoreFixture } from './contract-support.js';

/**
 * What every storage backend must do, as the bot relies on it. A backend's test file calls
 * `storeContract(name, open)` with a function that opens its implementation over a fresh, empty
 * database (see sqlite-contract.test.ts); the same cases then run against it. Only behaviour is
 * asserted (what comes back through the ports), never tables or SQL.
 */

export function storeContract(backend: string, open: OpenFixture): void {
  describe(`store contract: ${backend}`, () => {
    const use = withFixture(open);
    const s = () => use().stores;

    describe('users', () => {
      it('keys a user by platform, workspace and user id: the same id elsewhere is someone else', async () => {
        const ana = await s().practice.upsertUser(person('U1', 'Ana'));
        const otherWorkspace = await s().practice.upsertUser(person('U1', 'Ana', { workspace: 'T2' }));
        const otherPlatform = await s().practice.upsertUser(person('U1', 'Ana', { platform: 'discord' }));
        expect(new Set([ana.id, otherWorkspace.id, otherPlatform.id]).size).toBe(3);

        const renamed = await s().practice.upsertUser(person('U1', 'Ana B.'));
        expect(renamed).toEqual({ id: ana.id, key: ana.key, displayName: 'Ana B.' });
        expect(await s().practice.userById(ana.id)).toEqual({
          id: ana.id, key: ana.key, displayName: 'Ana B.',
          actor: { platform: 'slack', workspace: 'T1', userId: 'U1', displayName: 'Ana B.' },
        });
        expect(await s().practice.userById(otherWorkspace.id + otherPlatform.id + 100)).toBeUndefined();
      });
    });

    describe('sessions and turns', () => {
      it("keeps a session's turns in the order they were asked", async () => {
        const ana = await s().practice.upsertUser(person('U1', 'Ana'));
        const session = await s().practice.createSession(ana.id, room('C1'), ['q1', 'q2'], T0);
        expect(session).toMatchObject({ userId: ana.id, mode: 'practice', status: 'active', conversation: room('C1'), plan: ['q1', 'q2'], position: 0, createdAt: T0 });
        const other = await s().practice.createSession(ana.id, room('C2'), ['q9'], T0);
        await s().practice.addTurn({ sessionId: other.id, questionId: 'q9', kind: 'main', prompt: 'Elsewhere?', askedAt: T0 });
        const main = await s().practice.addTurn({ sessionId: session.id, questionId: 'q1', kind: 'main', prompt: 'Why precision?', askedAt: T0 + 1 });
        const probe = await s().practice.addTurn({ sessionId: session.id, questionId: 'q1', kind: 'followup', prompt: 'And the cost?', probeGap: 'tradeoffs', askedAt: T0 + 2 });
        const next = await s().practice.addTurn({ sessionId: session.id, questionId: 'q2', kind: 'main', prompt: 'What drifts?', askedAt: T0 + 3 });

        expect(main).toMatchObject({ sessionId: session.id, questionId: 'q1', kind: 'main', prompt: 'Why precision?', status: 'asked', hintsUsed: 0, gradeAttempts: 0, askedAt: T0 + 1 });
        expect(probe.probeGap).toBe('tradeoffs');
        expect((await s().practice.turns(session.id)).map((t) => t.id)).toEqual([main.id, probe.id, next.id]);
        expect((await s().practice.currentTurn(session.id))?.id).toBe(next.id);
        expect(await s().practice.findTurn(probe.id)).toEqual(probe);
        expect(await s().practice.currentTurn(session.id + other.id + 100)).toBeUndefined();
      });

      it('finds the active session, preferring the one in this conversation; moves, advances and ends it', async () => {
        const ana = await s().practice.upsertUser(person('U1', 'Ana'));
        const first = await s().practice.createSession(ana.id, room('C1'), ['q1'], T0);
        const second = await s().practice.createSession(ana.id, room('C2'), ['q1', 'q2'], T0 + MINUTE);
        expect((await s().practice.activeSession(ana.id, room('C1')))?.id).toBe(first.id);
        expect((await s().practice.activeSession(ana.id))?.id).toBe(second.id);

        await s().practice.moveSession(second.id, room('C2', '1700.01'), T0 + 2 * MINUTE);
        await s().practice.advanceSession(second.id, 1, T0 + 3 * MINUTE);
        expect(await s().practice.getSession(second.id)).toMatchObject({ conversation: room('C2', '1700.01'), position: 1, updatedAt: T0 + 3 * MINUTE });
        expect((await s().practice.activeSession(ana.id, room('C2', '1700.01')))?.id).toBe(second.id);

        await s().practice.endSession(first.id, T0 + 4 * MINUTE);
        await s().practice.endSession(second.id, T0 + 5 * MINUTE);
        expect(await s().practice.activeSession(ana.id)).toBeUndefined();
        expect(await s().practice.getSession(second.id)).toMatchObject({ status: 'ended', endedAt: T0 + 5 * MINUTE });
      });

      it('counts hints and skips only a question still open', async () => {
        const ana = await s().practice.upsertUser(person('U1', 'Ana'));
        const session = await s().practice.createSession(ana.id, room('C1'), ['q1', 'q2'], T0);
        const open = await s().practice.addTurn({ sessionId: session.id, questionId: 'q1', kind: 'main', prompt: 'p', askedAt: T0 });
        expect(await s().practice.useHint(open.id)).toBe(1);
        expect(await s().practice.useHint(open.id)).toBe(2);
        await s().practice.markSkipped(open.id);
        expect(await s().practice.findTurn(open.id)).toMatchObject({ status: 'skipped', hintsUsed: 2 });

        const graded = await s().practice.addTurn({ sessionId: session.id, questionId: 'q2', kind: 'main', prompt: 'p', askedAt: T0 });
        await s().practice.recordAnswer(graded.id, 'an answer', T0);
        await s().practice.recordGrade(graded.id, grade(70), T0 + 1, 3);
        await s().practice.markSkipped(graded.id);
        expect((await s().practice.findTurn(graded.id))?.status).toBe('graded');
      });
    });

    describe('answers and grades', () => {
      it('an answer stored before grading shows in pendingTurns until it is graded', async () => {
        const ana = await s().practice.upsertUser(person('U1', 'Ana'));
        const session = await s().practice.createSession(ana.id, room('C1'), ['q1'], T0);
        const turn = await s().practice.addTurn({ sessionId: session.id, questionId: 'q1', kind: 'main', prompt: 'p', askedAt: T0 });
        expect(await s().practice.pendingTurns()).toEqual([]);

        await s().practice.recordAnswer(turn.id, 'I would check precision and recall.', T0 + MINUTE);
        expect(await s().practice.pendingTurns()).toEqual([
          expect.objectContaining({ id: turn.id, status: 'answered', answer: 'I would check precision and recall.', answeredAt: T0 + MINUTE }),
        ]);
        expect(await s().practice.startGrading(turn.id, 'lexical', T0 + MINUTE)).toBe(1);
        expect(await s().practice.startGrading(turn.id, 'lexical', T0 + MINUTE)).toBe(2);
        expect((await s().practice.pendingTurns()).map((t) => [t.id, t.gradeAttempts])).toEqual([[turn.id, 2]]);

        await s().practice.recordGrade(turn.id, grade(64), T0 + 2 * MINUTE, 12.4);
        expect(await s().practice.pendingTurns()).toEqual([]);
        expect(await s().practice.findTurn(turn.id)).toMatchObject({ status: 'graded', grade: grade(64), gradedAt: T0 + 2 * MINUTE, gradeMs: 12 });
      });

      it("counts a user's LLM gradings since a time, and no one else's", async () => {
        const ana = await s().practice.upsertUser(person('U1', 'Ana'));
        const bob = await s().practice.upsertUser(person('U2', 'Bob'));
        const turnOf = async (userId: number) => {
          const session = await s().practice.createSession(userId, room(`D${userId}`), ['q1'], T0);
          return s().practice.addTurn({ sessionId: session.id, questionId: 'q1', kind: 'main', prompt: 'p', askedAt: T0 });
        };
        const [a1, a2, a3, b1] = [await turnOf(ana.id), await turnOf(ana.id), await turnOf(ana.id), await turnOf(bob.id)];
        await s().practice.startGrading(a1.id, 'llm', T0);
        await s().practice.startGrading(a2.id, 'llm', T0 + 10 * MINUTE);
        await s().practice.startGrading(a3.id, 'lexical', T0 + 10 * MINUTE);
        await s().practice.startGrading(b1.id, 'llm', T0 + 10 * MINUTE);
        expect(await s().practice.llmGradingsSince(ana.id, T0)).toBe(2);
        expect(await s().practice.llmGradingsSince(ana.id, T0 + 5 * MINUTE)).toBe(1);
        expect(await s().practice.llmGradingsSince(bob.id, T0)).toBe(1);
      });
    });

    describe('history and scores', () => {
      it('lists sessions newest first, with how many main answers were graded and their average', async () => {
        const ana = await s().practice.upsertUser(person('U1', 'Ana'));
        const older = await s().practice.createSession(ana.id, room('C1'), ['q1', 'q2'], T0);
        for (const [questionId, score] of [['q1', 40], ['q2', 60]] as const) {
          const t = await s().practice.addTurn({ sessionId: older.id, questionId, kind: 'main', prompt: 'p', askedAt: T0 });
          await s().practice.recordAnswer(t.id, 'a', T0);
          await s().practice.recordGrade(t.id, grade(score), T0, 1);
        }
        const probe = await s().practice.addTurn({ sessionId: older.id, questionId: 'q2', kind: 'followup', prompt: 'why?', askedAt: T0 });
        await s().practice.recordAnswer(probe.id, 'b', T0);
        await s().practice.recordGrade(probe.id, grade(0), T0, 1);
        const newer = await s().practice.createSession(ana.id, room('C1'), ['q3'], T0 + DAY);
        await s().practice.addTurn({ sessionId: newer.id, questionId: 'q3', kind: 'main', prompt: 'p', askedAt: T0 + DAY });

        const history = await s().practice.history(ana.id, 10);
        expect(history.map((h) => [h.session.id, h.graded, h.averageScore])).toEqual([[newer.id, 0, undefined], [older.id, 2, 50]]);
        expect((await s().practice.history(ana.id, 1)).map((h) => h.session.id)).toEqual([newer.id]);
      });

      it('averages graded main practice answers per question, and knows when each question was last asked', async () => {
        const ana = await s().practice.upsertUser(person('U1', 'Ana'));
        const answer = async (mode: 'practice' | 'mock', questionId: string, score: number, at: number, kind: 'main' | 'followup' = 'main') => {
          const session = await s().practice.createSession(ana.id, room('C1'), [questionId], at, mode);
          const t = await s().practice.addTurn({ sessionId: session.id, questionId, kind, prompt: 'p', askedAt: at });
          await s().practice.recordAnswer(t.id, 'a', at);
          await s().practice.recordGrade(t.id, grade(score), at + 1000, 1);
        };
        await answer('practice', 'q1', 40, T0);
        await answer('practice', 'q1', 80, T0 + DAY);
        await answer('practice', 'q1', 0, T0 + 2 * DAY, 'followup');
        await answer('mock', 'q1', 100, T0 + 3 * DAY);
        await answer('practice', 'q2', 70, T0 + 4 * DAY);

        const scores = [...(await s().practice.questionScores(ana.id))].sort((a, b) => a.questionId.localeCompare(b.questionId));
        expect(scores).toEqual([
          { questionId: 'q1', average: 60, count: 2, lastAt: T0 + DAY + 1000 },
          { questionId: 'q2', average: 70, count: 1, lastAt: T0 + 4 * DAY + 1000 },
        ]);
        expect(await s().practice.lastAsked(ana.id)).toEqual(new Map([['q1', T0 + 3 * DAY], ['q2', T0 + 4 * DAY]]));
        expect(await s().practice.questionScores(ana.id + 100)).toEqual([]);
      });
    });

    storeContractMore(s, use);
    storeContractJobs(backend, s, use);
  });
}
