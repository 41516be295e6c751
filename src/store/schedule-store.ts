import type { Db } from './db.js';
import type { Schedule, ScheduleStore } from '../core/practice/schedule-ports.js';
import { nextSchedule } from '../core/practice/spaced.js';
import { toSchedule, type ScheduleRow as Row } from './rows.js';

/** SM-2 schedules in the question_schedule table (migration 006). */
export function createScheduleStore(db: Db): ScheduleStore {
  const q = {
    get: db.prepare(`SELECT * FROM question_schedule WHERE user_id = ? AND question_id = ?`),
    all: db.prepare(`SELECT * FROM question_schedule WHERE user_id = ? ORDER BY due_at, question_id`),
    put: db.prepare(
      `INSERT INTO question_schedule (user_id, question_id, easiness, interval_days, repetitions, due_at, last_score, updated_at)
       VALUES (@userId, @questionId, @easiness, @intervalDays, @repetitions, @dueAt, @lastScore, @updatedAt)
       ON CONFLICT (user_id, question_id) DO UPDATE SET
         easiness = excluded.easiness, interval_days = excluded.interval_days, repetitions = excluded.repetitions,
         due_at = excluded.due_at, last_score = excluded.last_score, updated_at = excluded.updated_at`,
    ),
  };
  // Read and write in one transaction so two gradings of the same question never lose an update.
  const record = db.transaction((userId: number, questionId: string, score: number, now: number): Schedule => {
    const prev = q.get.get(userId, questionId) as Row | undefined;
    const next = nextSchedule(prev && toSchedule(prev), score, now);
    const schedule: Schedule = { questionId, ...next, lastScore: score, updatedAt: now };
    q.put.run({ userId, ...schedule });
    return schedule;
  });
  return {
    // The transaction runs to its end before the promise is made: no await splits it.
    record: async (userId, questionId, score, now) => record(userId, questionId, score, now),
    async schedules(userId) {
      return new Map((q.all.all(userId) as Row[]).map((r) => [r.question_id, toSchedule(r)]));
    },
  };
}
