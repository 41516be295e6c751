import type { Catalog } from '../../content/load.js';
import type { HistoryEntry, PracticeStore } from '../practice/ports.js';
import type { Schedule } from '../practice/schedule-ports.js';
import { DAY_MS, orderByDue } from '../practice/spaced.js';

export type CompetencyProgress = { competency: string; average: number; answered: number };

export type ProgressView = {
  recent: HistoryEntry[];
  /** Weakest first, so the top of the list is what to practise next. */
  competencies: CompetencyProgress[];
  weakest?: CompetencyProgress;
  answered: number;
};

/** A user's standing, per competency; shown by `progress` and by Slack's App Home. */
export async function progressOf(store: PracticeStore, catalog: Pick<Catalog, 'questions'>, userId: number, recent = 5): Promise<ProgressView> {
  const by = new Map<string, { sum: number; n: number }>();
  for (const s of await store.questionScores(userId)) {
    const competency = catalog.questions.get(s.questionId)?.competency;
    if (!competency) continue;
    const acc = by.get(competency) ?? { sum: 0, n: 0 };
    acc.sum += s.average * s.count;
    acc.n += s.count;
    by.set(competency, acc);
  }
  const competencies = [...by.entries()]
    .map(([competency, { sum, n }]) => ({ competency, average: sum / n, answered: n }))
    .sort((a, b) => a.average - b.average || a.competency.localeCompare(b.competency));
  return {
    recent: await store.history(userId, recent),
    competencies,
    weakest: competencies[0],
    answered: competencies.reduce((n, c) => n + c.answered, 0),
  };
}

/** One point of a competency's trend: the average of its graded main answers in one period. */
export type TrendPoint = {
  /** "2026-W47" for a week, the session id for a session. */
  period: string;
  /** When the period starts (ms epoch): the week's Monday 00:00 UTC, or the session's start. */
  start: number;
  average: number;
  count: number;
};

export type CompetencyTrend = { competency: string; points: TrendPoint[] };

/** A question in the spaced-repetition queue, in the order it will be offered. */
export type QueueItem = {
  questionId: string;
  competency?: string;
  dueAt: number;
  /** True when it is due now. */
  due: boolean;
  lastScore: number;
  intervalDays: number;
};

export type ProgressReport = ProgressView & {
  /** Per competency, oldest period first; same competency order as `competencies`. */
  trend: CompetencyTrend[];
  trendBy: 'week' | 'session';
  /** What spaced repetition will bring back next: due now (weakest first), then by due date. */
  queue: QueueItem[];
  dueNow: number;
};

export type ProgressReportOptions = {
  now: number;
  /** The user's schedules (ScheduleStore.schedules); no queue without them. */
  schedules?: ReadonlyMap<string, Schedule>;
  /** Average per ISO week (default) or per session. */
  by?: 'week' | 'session';
  recent?: number;
  /** How many of the latest sessions the trend reads (default 100). */
  sessions?: number;
  /** How many queue items to return (default 5). */
  queueSize?: number;
};

/** ISO 8601 week of a UTC instant: its label ("2026-W01") and the Monday it starts on. */
export function isoWeek(at: number): { label: string; start: number } {
  const d = new Date(at);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day);
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { label: `${year}-W${String(week).padStart(2, '0')}`, start: monday };
}

/**
 * progressOf plus how each competency moved over time and the spaced-repetition queue.
 * A pure query: the trend reads the latest sessions' graded main answers through the store.
 */
export async function progressReport(
  store: PracticeStore,
  catalog: Pick<Catalog, 'questions'>,
  userId: number,
  options: ProgressReportOptions,
): Promise<ProgressReport> {
  const view = await progressOf(store, catalog, userId, options.recent ?? 5);
  const by = options.by ?? 'week';
  const periods = new Map<string, Map<string, { start: number; sum: number; n: number }>>();
  for (const { session } of await store.history(userId, options.sessions ?? 100)) {
    for (const turn of await store.turns(session.id)) {
      if (turn.kind !== 'main' || turn.grade === undefined) continue;
      const competency = catalog.questions.get(turn.questionId)?.competency;
      if (!competency) continue;
      const at = turn.gradedAt ?? turn.answeredAt ?? turn.askedAt;
      const { label, start } = by === 'week' ? isoWeek(at) : { label: String(session.id), start: session.createdAt };
      const points = periods.get(competency) ?? new Map();
      const acc = points.get(label) ?? { start, sum: 0, n: 0 };
      acc.sum += turn.grade.score;
      acc.n += 1;
      points.set(label, acc);
      periods.set(competency, points);
    }
  }
  const trend = view.competencies.map(({ competency }) => ({
    competency,
    points: [...(periods.get(competency) ?? new Map()).entries()]
      .map(([period, { start, sum, n }]) => ({ period, start, average: sum / n, count: n }))
      .sort((a, b) => a.start - b.start || a.period.localeCompare(b.period, 'en', { numeric: true })),
  }));

  const schedules = options.schedules ?? new Map<string, Schedule>();
  const ordered = orderByDue([...schedules.keys()], schedules, options.now);
  const queue = ordered.slice(0, options.queueSize ?? 5).map((questionId) => {
    const s = schedules.get(questionId)!;
    return {
      questionId, competency: catalog.questions.get(questionId)?.competency,
      dueAt: s.dueAt, due: s.dueAt <= options.now, lastScore: s.lastScore, intervalDays: s.intervalDays,
    };
  });
  const dueNow = [...schedules.values()].filter((s) => s.dueAt <= options.now).length;
  return { ...view, trend, trendBy: by, queue, dueNow };
}
