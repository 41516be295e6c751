CREATE TABLE mock_interviews (
  id              INTEGER PRIMARY KEY,
  manager_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  candidate_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  session_id      INTEGER REFERENCES sessions(id) ON DELETE SET NULL,   -- the candidate's interview
  platform        TEXT NOT NULL,
  workspace       TEXT NOT NULL,
  manager_channel TEXT NOT NULL,                                       -- where the panel reads scorecards
  manager_thread  TEXT,
  status          TEXT NOT NULL CHECK (status IN ('active', 'finished')),
  released        INTEGER NOT NULL DEFAULT 0,                           -- the candidate may read the bot's feedback
  created_at      INTEGER NOT NULL,
  finished_at     INTEGER
);
CREATE INDEX mock_interviews_session ON mock_interviews(session_id);

-- The managers who score an interview: its starter and anyone they add.
CREATE TABLE mock_panel (
  mock_id   INTEGER NOT NULL REFERENCES mock_interviews(id) ON DELETE CASCADE,
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  added_at  INTEGER NOT NULL,
  PRIMARY KEY (mock_id, user_id)
);

-- A panel member's own score and notes beside the bot's; the candidate never sees these.
CREATE TABLE mock_scores (
  mock_id    INTEGER NOT NULL REFERENCES mock_interviews(id) ON DELETE CASCADE,
  turn_id    INTEGER NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
  scorer_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  score      INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
  notes      TEXT NOT NULL DEFAULT '',
  at         INTEGER NOT NULL,
  PRIMARY KEY (mock_id, turn_id, scorer_id)
);
