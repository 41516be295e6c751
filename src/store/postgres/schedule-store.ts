import type { Schedule, ScheduleStore } from '../../core/practice/schedule-ports.js';
import { nextSchedule } from '../../core/practice/spaced.js';
import { toSchedule, type ScheduleRow } from '../rows.js';
import { all, inTransaction, one, type Pool } from './pool.js';

/** SM-2 schedules in the question_schedule table (migration 005). */
export function createScheduleStore(db: Pool): ScheduleStore {
  return {
    // Two gradings of one question (maybe in two processes) must not both read the old schedule:
    // locking the user's row serialises them, also when the schedule row does not exist yet.
    record: (userId, questionId, score, now) => inTransaction(db, async (tx): Promise<Schedule> => {
      await tx.query(`SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE`, [userId]);
      const prev = await one<ScheduleRow>(tx, `SELECT * FROM question_schedule WHERE user_id = $1 AND question_id = $2`, [userId, questionId]);
      const schedule: Schedule = { questionId, ...nextSchedule(prev && toSchedule(prev), score, now), lastScore: score, updatedAt: now };
      await tx.query(
        `INSERT INTO question_schedule (user_id, question_id, easiness, interval_days, repetitions, due_at, last_score, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (user_id, question_id) DO UPDATE SET
           easiness = excluded.easiness, interval_days = excluded.interval_days, repetitions = excluded.repetitions,
           due_at = excluded.due_at, last_score = excluded.last_score, updated_at = excluded.updated_at`,
        [userId, questionId, schedule.easiness, schedule.intervalDays, schedule.repetitions, schedule.dueAt, schedule.lastScore, schedule.updatedAt]);
      return schedule;
    }),
    async schedules(userId) {
      const rows = await all<ScheduleRow>(db, `SELECT * FROM question_schedule WHERE user_id = $1 ORDER BY due_at, question_id`, [userId]);
      return new Map(rows.map((r) => [r.question_id, toSchedule(r)]));
    },
  };
}
