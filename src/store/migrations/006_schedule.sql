-- Spaced repetition (SM-2): when each question should come back to each user.
-- One row per user and question, rewritten after every graded main answer.
CREATE TABLE question_schedule (
  user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  question_id    TEXT NOT NULL,
  easiness       REAL NOT NULL,
  interval_days  REAL NOT NULL,
  repetitions    INTEGER NOT NULL,
  due_at         INTEGER NOT NULL,                -- ms epoch
  last_score     REAL NOT NULL,                   -- 0..100, the answer that set this schedule
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (user_id, question_id)
) WITHOUT ROWID;
CREATE INDEX question_schedule_due ON question_schedule(user_id, due_at);
