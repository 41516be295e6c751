CREATE TABLE users (
  id           INTEGER PRIMARY KEY,
  key          TEXT NOT NULL UNIQUE,          -- platform:workspace:user, so workspaces never mix
  platform     TEXT NOT NULL,
  workspace    TEXT NOT NULL,
  external_id  TEXT NOT NULL,
  display_name TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);

CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  mode         TEXT NOT NULL DEFAULT 'practice',
  status       TEXT NOT NULL CHECK (status IN ('active', 'ended')),
  platform     TEXT NOT NULL,
  workspace    TEXT NOT NULL,
  channel      TEXT NOT NULL,
  thread       TEXT,
  plan         TEXT NOT NULL,                 -- JSON array of question ids
  position     INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  ended_at     INTEGER
);
CREATE INDEX sessions_user_status ON sessions(user_id, status);

CREATE TABLE turns (
  id           INTEGER PRIMARY KEY,
  session_id   INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  question_id  TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('main', 'followup')),
  prompt       TEXT NOT NULL,
  probe_gap    TEXT,
  status       TEXT NOT NULL CHECK (status IN ('asked', 'answered', 'graded', 'skipped')),
  hints_used   INTEGER NOT NULL DEFAULT 0,
  answer       TEXT,
  grade        TEXT,                          -- JSON Grade
  score        REAL,
  asked_at     INTEGER NOT NULL,
  answered_at  INTEGER,
  graded_at    INTEGER,
  grade_ms     INTEGER
);
CREATE INDEX turns_session ON turns(session_id, id);
CREATE INDEX turns_pending ON turns(status) WHERE status = 'answered';
