-- Spaced repetition (SM-2): when each question should come back to each user (SQLite's 006).
CREATE TABLE question_schedule (
  user_id        BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  question_id    TEXT NOT NULL,
  easiness       DOUBLE PRECISION NOT NULL,
  interval_days  DOUBLE PRECISION NOT NULL,
  repetitions    INTEGER NOT NULL,
  due_at         BIGINT NOT NULL,
  last_score     DOUBLE PRECISION NOT NULL,
  updated_at     BIGINT NOT NULL,
  PRIMARY KEY (user_id, question_id)
);
CREATE INDEX question_schedule_due ON question_schedule(user_id, due_at);
