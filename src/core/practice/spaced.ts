import type { Catalog } from '../../content/load.js';
import type { Schedule, ScheduleState } from './schedule-ports.js';
import { planSession, type Selection } from './select.js';

export type { Schedule, ScheduleState } from './schedule-ports.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const INITIAL_EASINESS = 2.5;
export const MIN_EASINESS = 1.3;

/** SM-2 quality (0..5) of an answer scored 0..100: 100 → 5, 60 → 3, 40 → 2. */
export function qualityOf(score: number): number {
  const q = Math.round(score / 20);
  return Math.min(5, Math.max(0, Number.isFinite(q) ? q : 0));
}

/**
 * SM-2: the schedule after one more answer. A weak answer (quality < 3) starts the question
 * over (repetitions 0, back in a day); a good one comes back after 1 day, then 6, then the
 * previous interval times the easiness. The interval uses the easiness from before this
 * answer, and the easiness is then updated by the answer's quality (never below 1.3), as in
 * Wozniak's SM-2.
 */
export function nextSchedule(prev: ScheduleState | undefined, score: number, now: number): ScheduleState {
  const q = qualityOf(score);
  const ef = prev?.easiness ?? INITIAL_EASINESS;
  const reps = prev?.repetitions ?? 0;
  let repetitions: number;
  let intervalDays: number;
  if (q < 3) {
    repetitions = 0;
    intervalDays = 1;
  } else {
    intervalDays = reps === 0 ? 1 : reps === 1 ? 6 : Math.round((prev?.intervalDays ?? 6) * ef);
    repetitions = reps + 1;
  }
  const d = 5 - q;
  // Rounded to 4 places: the updates are multiples of 0.02, so this only removes float noise.
  const easiness = Math.max(MIN_EASINESS, Math.round((ef + 0.1 - d * (0.08 + d * 0.02)) * 1e4) / 1e4);
  return { easiness, intervalDays, repetitions, dueAt: now + intervalDays * DAY_MS };
}

/** Where a question stands for the next session: due now, never seen, or later. */
export type DueTier = 'due' | 'unseen' | 'later';

export function tierOf(schedule: Schedule | undefined, now: number): DueTier {
  if (!schedule) return 'unseen';
  return schedule.dueAt <= now ? 'due' : 'later';
}

/**
 * The order questions should come back in: those due now first, the lowest last score first
 * (ties: longest overdue first); then questions with no schedule; then the rest by due date.
 * Stable: equal questions keep the order they were given in.
 */
export function orderByDue(questionIds: readonly string[], schedules: ReadonlyMap<string, Schedule>, now: number): string[] {
  const rank = { due: 0, unseen: 1, later: 2 } as const;
  return questionIds
    .map((id, index) => ({ id, index, s: schedules.get(id), tier: tierOf(schedules.get(id), now) }))
    .sort((a, b) => {
      if (a.tier !== b.tier) return rank[a.tier] - rank[b.tier];
      if (a.tier === 'due') return a.s!.lastScore - b.s!.lastScore || a.s!.dueAt - b.s!.dueAt || a.index - b.index;
      if (a.tier === 'later') return a.s!.dueAt - b.s!.dueAt || a.index - b.index;
      return a.index - b.index;
    })
    .map((x) => x.id);
}

const TIER_SPAN = 1e14; // larger than any ms-epoch timestamp, so tiers never overlap

/**
 * The priority of every question as planSession's "last asked" map (smaller = sooner), so
 * planSession keeps its filtering, its kind/track mix and its salted tie-break among unseen
 * questions, while the spaced-repetition order decides who is first in line:
 *   due (by last score, weakest first) < unseen (ties broken by planSession's salt) < the rest
 *   (by due date; questions asked but never graded, so without a schedule, by when last asked).
 */
export function duePriority(
  catalog: Pick<Catalog, 'questions'>,
  schedules: ReadonlyMap<string, Schedule>,
  lastAsked: ReadonlyMap<string, number>,
  now: number,
): Map<string, number> {
  const priority = new Map<string, number>();
  for (const id of catalog.questions.keys()) {
    const s = schedules.get(id);
    const asked = lastAsked.get(id);
    if (s && s.dueAt <= now) priority.set(id, 0 * TIER_SPAN + s.lastScore);
    else if (!s && asked === undefined) priority.set(id, 1 * TIER_SPAN);
    else priority.set(id, 2 * TIER_SPAN + (s ? s.dueAt : asked!));
  }
  return priority;
}

/**
 * planSession with spaced repetition: call this where planSession is called today, with the
 * user's schedules. Named questions still come first in the order given. The first pick is the
 * weakest due question; later picks still alternate kinds and tracks among those next in line.
 */
export function planOrder(
  sel: Selection,
  catalog: Pick<Catalog, 'questions'>,
  lastAsked: Map<string, number>,
  schedules: ReadonlyMap<string, Schedule>,
  salt: string,
  now: number,
): string[] {
  return planSession(sel, catalog, duePriority(catalog, schedules, lastAsked, now), salt);
}
