import { describe, expect, it } from 'vitest';
import { isoWeek, progressOf, progressReport } from '../../src/core/progress/report.js';
import { DAY_MS } from '../../src/core/practice/spaced.js';
import type { Grade } from '../../src/core/kernel/grading.js';
import { openDatabase } from '../../src/store/db.js';
import { createPracticeStore } from '../../src/store/practice-store.js';
import { createScheduleStore } from '../../src/store/schedule-store.js';
import { catalog } from '../support/harness.js';

const grade = (score: number): Grade => ({
  score, criteria: [], strengths: [], gaps: [], flags: [], grader: { kind: 'lexical', rubricVersion: 'test' },
});

// Monday 2026-01-05 is the first day of ISO week 2026-W02.
const MON = Date.UTC(2026, 0, 5, 10);

async function world() {
  const db = openDatabase(':memory:');
  const store = createPracticeStore(db);
  const schedules = createScheduleStore(db);
  const user = await store.upsertUser({ platform: 'memory', workspace: 'w', userId: 'u1', displayName: 'Uma', isBot: false });
  const room = { platform: 'memory' as const, workspace: 'w', channel: 'c' };
  const byCompetency = new Map<string, string[]>();
  for (const q of catalog().questions.values()) byCompetency.set(q.competency, [...(byCompetency.get(q.competency) ?? []), q.id]);
  /** One session at `at` answering the given questions with the given scores. */
  const session = async (at: number, answers: [string, number][]) => {
    const s = await store.createSession(user.id, room, answers.map(([q]) => q), at);
    for (const [questionId, score] of answers) {
      const t = await store.addTurn({ sessionId: s.id, questionId, kind: 'main', prompt: 'p', askedAt: at });
      await store.recordAnswer(t.id, 'an answer', at);
      await store.recordGrade(t.id, grade(score), at + 1000, 5);
      await schedules.record(user.id, questionId, score, at);
      // A follow-up never counts toward the trend.
      const f = await store.addTurn({ sessionId: s.id, questionId, kind: 'followup', prompt: 'why?', askedAt: at });
      await store.recordAnswer(f.id, 'because', at);
      await store.recordGrade(f.id, grade(0), at + 2000, 5);
    }
    await store.endSession(s.id, at + 5000);
    return s;
  };
  return { store, schedules, user, byCompetency, session };
}

describe('ISO weeks', () => {
  it('labels weeks as ISO 8601 does, across year ends', () => {
    expect(isoWeek(MON)).toEqual({ label: '2026-W02', start: Date.UTC(2026, 0, 5) });
    expect(isoWeek(Date.UTC(2026, 0, 1)).label).toBe('2026-W01'); // Thursday
    expect(isoWeek(Date.UTC(2027, 0, 1)).label).toBe('2026-W53'); // Friday of 2026's 53rd week
    expect(isoWeek(Date.UTC(2024, 11, 30)).label).toBe('2025-W01'); // Monday
    expect(isoWeek(Date.UTC(2026, 0, 11, 23, 59)).label).toBe('2026-W02'); // Sunday night
  });
});

describe('progress report', () => {
  it('averages each competency per week, oldest first, and matches progressOf', async () => {
    const w = await world();
    const [d1, d2] = w.byCompetency.get('drift')!;
    const [m1] = w.byCompetency.get('mlops')!;
    await w.session(MON, [[d1!, 40], [m1!, 80]]);
    await w.session(MON + 2 * DAY_MS, [[d2!, 60]]); // same week
    await w.session(MON + 7 * DAY_MS, [[d1!, 70]]);
    await w.session(MON + 21 * DAY_MS, [[d2!, 90], [m1!, 70]]);
    const report = await progressReport(w.store, catalog(), w.user.id, { now: MON + 22 * DAY_MS });
    const { trend, trendBy, queue: _q, dueNow: _d, ...view } = report;
    expect(view).toEqual(await progressOf(w.store, catalog(), w.user.id));
    expect(trendBy).toBe('week');
    expect(trend.map((t) => t.competency)).toEqual(report.competencies.map((c) => c.competency));
    const drift = trend.find((t) => t.competency === 'drift')!;
    expect(drift.points.map((p) => [p.period, p.average, p.count])).toEqual([
      ['2026-W02', 50, 2], ['2026-W03', 70, 1], ['2026-W05', 90, 1],
    ]);
    expect(trend.find((t) => t.competency === 'mlops')!.points.map((p) => p.average)).toEqual([80, 70]);
  });

  it('can average per session instead', async () => {
    const w = await world();
    const [d1, d2] = w.byCompetency.get('drift')!;
    const a = await w.session(MON, [[d1!, 40], [d2!, 50]]);
    const b = await w.session(MON + 1000 * 60, [[d1!, 80]]);
    const report = await progressReport(w.store, catalog(), w.user.id, { now: MON, by: 'session' });
    expect(report.trend[0]!.points.map((p) => [p.period, p.average])).toEqual([[String(a.id), 45], [String(b.id), 80]]);
  });

  it('queues what spaced repetition brings back: due ones weakest first, then by due date', async () => {
    const w = await world();
    const [d1, d2, d3] = w.byCompetency.get('drift')!;
    const [m1] = w.byCompetency.get('mlops')!;
    await w.session(MON, [[d1!, 30], [d2!, 10], [m1!, 100]]); // all due in a day
    await w.session(MON + 3 * DAY_MS, [[d3!, 90]]); // due on day 4
    const now = MON + 2 * DAY_MS;
    const report = await progressReport(w.store, catalog(), w.user.id, { now, schedules: await w.schedules.schedules(w.user.id) });
    expect(report.queue.map((q) => [q.questionId, q.due, q.lastScore])).toEqual([
      [d2, true, 10], [d1, true, 30], [m1, true, 100], [d3, false, 90],
    ]);
    expect(report.queue[0]!.competency).toBe('drift');
    expect(report.dueNow).toBe(3);
    expect((await progressReport(w.store, catalog(), w.user.id, { now, schedules: await w.schedules.schedules(w.user.id), queueSize: 2 })).queue).toHaveLength(2);
  });

  it('is empty, not broken, for a user with nothing graded', async () => {
    const w = await world();
    const report = await progressReport(w.store, catalog(), w.user.id, { now: MON });
    expect(report).toMatchObject({ trend: [], queue: [], dueNow: 0, competencies: [], answered: 0 });
  });
});
