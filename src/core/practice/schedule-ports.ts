/** Spaced-repetition state of one question for one user (SM-2). */
export type ScheduleState = {
  /** SM-2 easiness factor, 1.3 at the lowest; 2.5 for a question seen for the first time. */
  easiness: number;
  /** Days until the question should come back. */
  intervalDays: number;
  /** Successful reviews in a row (quality 3 or better); 0 after a weak answer. */
  repetitions: number;
  /** When the question is due again (ms epoch). */
  dueAt: number;
};

export type Schedule = ScheduleState & {
  questionId: string;
  /** The score (0..100) of the answer that produced this schedule. */
  lastScore: number;
  updatedAt: number;
};

/** What the core needs to remember spaced-repetition schedules; SQLite in src/store/schedule-store.ts. */
export interface ScheduleStore {
  /** Applies one graded main answer to the question's schedule and returns the new schedule. */
  record(userId: number, questionId: string, score: number, now: number): Promise<Schedule>;
  /** Every question the user has a schedule for, by question id. */
  schedules(userId: number): Promise<Map<string, Schedule>>;
}
