import { describe, expect, it } from 'vitest';
import { DAY_MS, duePriority, nextSchedule, orderByDue, planOrder, qualityOf, type Schedule, type ScheduleState } from '../../src/core/practice/spaced.js';
import { openDatabase } from '../../src/store/db.js';
import { createScheduleStore } from '../../src/store/schedule-store.js';
import { createPracticeStore } from '../../src/store/practice-store.js';
import { catalog } from '../support/harness.js';

const T0 = Date.UTC(2026, 0, 5, 9);

/** Feeds scores one per review, each on the day the previous one fell due. */
function run(scores: number[]): ScheduleState[] {
  const out: ScheduleState[] = [];
  let prev: ScheduleState | undefined;
  let now = T0;
  for (const score of scores) {
    prev = nextSchedule(prev, score, now);
    out.push(prev);
    now = prev.dueAt;
  }
  return out;
}

const sched = (questionId: string, lastScore: number, dueAt: number): Schedule => ({
  questionId, lastScore, dueAt, easiness: 2.5, intervalDays: 1, repetitions: 0, updatedAt: T0,
});

describe('SM-2 scheduling', () => {
  it('maps scores to quality 0..5 by rounding score/20', () => {
    expect([0, 9, 10, 29, 30, 50, 59, 60, 69, 70, 89, 90, 100, 140, -5].map(qualityOf)).toEqual([0, 0, 1, 1, 2, 3, 3, 3, 3, 4, 4, 5, 5, 5, 0]);
  });

  it('follows the hand-computed sequence for perfect answers: 1, 6, 16, 45 days; EF +0.1 each', () => {
    const s = run([100, 100, 100, 100]);
    expect(s.map((x) => x.intervalDays)).toEqual([1, 6, 16, 45]); // 6*2.7=16.2→16; 16*2.8=44.8→45
    expect(s.map((x) => x.repetitions)).toEqual([1, 2, 3, 4]);
    s.map((x) => x.easiness).forEach((ef, i) => expect(ef).toBeCloseTo([2.6, 2.7, 2.8, 2.9][i]!, 10));
    expect(s[0]!.dueAt).toBe(T0 + DAY_MS);
    expect(s[1]!.dueAt).toBe(T0 + 7 * DAY_MS);
  });

  it('keeps EF for quality 4 and lowers it 0.14 for quality 3', () => {
    const s = run([80, 80, 60, 60]);
    // q=4: EF 2.5, 2.5; intervals 1, 6, then 6*2.5=15; q=3: EF 2.36 then 2.22; interval 15*2.36=35.4→35
    expect(s.map((x) => x.intervalDays)).toEqual([1, 6, 15, 35]);
    s.map((x) => x.easiness).forEach((ef, i) => expect(ef).toBeCloseTo([2.5, 2.5, 2.36, 2.22][i]!, 10));
  });

  it('starts over after a weak answer, lowering EF, and never goes below 1.3', () => {
    const s = run([100, 100, 40, 80, 80]);
    // 40 → q=2: reps 0, interval 1, EF 2.7-0.32=2.38; then q=4: 1 day, 6 days, EF stays 2.38
    expect(s.map((x) => x.intervalDays)).toEqual([1, 6, 1, 1, 6]);
    expect(s.map((x) => x.repetitions)).toEqual([1, 2, 0, 1, 2]);
    expect(s[2]!.easiness).toBeCloseTo(2.38, 10);
    expect(s[4]!.easiness).toBeCloseTo(2.38, 10);
    const floor = run([0, 0, 0, 10]);
    expect(floor.map((x) => x.easiness)).toEqual([1.7, 1.3, 1.3, 1.3]); // 2.5-0.8=1.7, then the floor
    expect(floor.every((x) => x.intervalDays === 1 && x.repetitions === 0)).toBe(true);
  });

  it('grows later intervals by the easiness, rounding to whole days', () => {
    const s = run([60, 60, 60, 60, 60]);
    // EF before each answer: 2.5, 2.36, 2.22, 2.08, 1.94; intervals 1, 6, round(6*2.22)=13, round(13*2.08)=27, round(27*1.94)=52
    expect(s.map((x) => x.intervalDays)).toEqual([1, 6, 13, 27, 52]);
    expect(s.at(-1)!.easiness).toBeCloseTo(1.8, 10);
  });
});

describe('what comes back first', () => {
  const now = T0 + 30 * DAY_MS;
  const schedules = new Map<string, Schedule>([
    ['strong-due', sched('strong-due', 90, now - 2 * DAY_MS)],
    ['weak-due', sched('weak-due', 20, now - DAY_MS)],
    ['mid-due', sched('mid-due', 55, now)],
    ['later-far', sched('later-far', 30, now + 9 * DAY_MS)],
    ['later-near', sched('later-near', 95, now + DAY_MS)],
  ]);

  it('orders due questions weakest first, then unseen ones, then the rest by due date', () => {
    const ids = ['later-far', 'unseen-a', 'strong-due', 'later-near', 'weak-due', 'unseen-b', 'mid-due'];
    expect(orderByDue(ids, schedules, now)).toEqual(['weak-due', 'mid-due', 'strong-due', 'unseen-a', 'unseen-b', 'later-near', 'later-far']);
  });

  it('a low-scored question comes back first in a planned session', () => {
    const cat = catalog();
    const ids = [...cat.questions.keys()];
    const [weak, strong] = [ids[3]!, ids[5]!];
    const s = new Map<string, Schedule>([
      [strong, sched(strong, 85, now - DAY_MS)],
      [weak, sched(weak, 25, now - DAY_MS)],
    ]);
    const lastAsked = new Map([[weak, now - DAY_MS * 2], [strong, now - DAY_MS * 2]]);
    const sel = { questionIds: [], tracks: [], competencies: [], difficulties: [], kinds: [], count: 3 };
    for (const salt of ['a', 'b', 'c']) expect(planOrder(sel, cat, lastAsked, s, salt, now)[0]).toBe(weak);
    // Without schedules the old rule holds: unseen questions first, so neither comes first.
    const plain = planOrder(sel, cat, lastAsked, new Map(), 'a', now);
    expect(plain).not.toContain(weak);
    expect(plain).not.toContain(strong);
  });

  it('puts questions not yet due after unseen ones, and gives every question a priority', () => {
    const cat = catalog();
    const [a, b] = [...cat.questions.keys()];
    const p = duePriority(cat, new Map([[a!, sched(a!, 10, now + DAY_MS)]]), new Map([[b!, now - DAY_MS]]), now);
    expect(p.size).toBe(cat.questions.size);
    const unseen = [...cat.questions.keys()].find((id) => id !== a && id !== b)!;
    expect(p.get(unseen)!).toBeLessThan(p.get(a!)!);
    expect(p.get(unseen)!).toBeLessThan(p.get(b!)!);
  });
});

describe('the schedule store', () => {
  it('applies SM-2 to each graded answer and reads schedules back', async () => {
    const db = openDatabase(':memory:');
    const store = createPracticeStore(db);
    const user = await store.upsertUser({ platform: 'cli', workspace: 'local', userId: 'ann', displayName: 'Ann', isBot: false });
    const schedules = createScheduleStore(db);
    await schedules.record(user.id, 'q1', 100, T0);
    const second = await schedules.record(user.id, 'q1', 100, T0 + DAY_MS);
    await schedules.record(user.id, 'q2', 30, T0);
    expect(second).toMatchObject({ questionId: 'q1', intervalDays: 6, repetitions: 2, lastScore: 100, dueAt: T0 + 7 * DAY_MS });
    const all = await schedules.schedules(user.id);
    expect([...all.keys()]).toEqual(['q2', 'q1']); // by due date
    expect(all.get('q1')!.easiness).toBeCloseTo(2.7, 10);
    expect(all.get('q2')).toMatchObject({ repetitions: 0, intervalDays: 1, lastScore: 30, dueAt: T0 + DAY_MS });
    expect((await schedules.schedules(user.id + 1)).size).toBe(0);
  });
});
