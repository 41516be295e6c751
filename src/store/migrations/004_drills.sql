CREATE TABLE drills (
  id              INTEGER PRIMARY KEY,
  scenario_id     TEXT NOT NULL,
  platform        TEXT NOT NULL,
  workspace       TEXT NOT NULL,
  channel         TEXT NOT NULL,
  thread          TEXT,
  facilitator_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status          TEXT NOT NULL CHECK (status IN ('lobby', 'running', 'paused', 'ended')),
  created_at      INTEGER NOT NULL,
  started_at      INTEGER,
  ended_at        INTEGER
);
CREATE INDEX drills_room ON drills(platform, workspace, channel, status);

CREATE TABLE drill_participants (
  drill_id   INTEGER NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role       TEXT NOT NULL,
  joined_at  INTEGER NOT NULL,
  left_at    INTEGER,                        -- a participant who comes back keeps their role
  PRIMARY KEY (drill_id, user_id)
);

CREATE TABLE drill_events (
  id         INTEGER PRIMARY KEY,            -- the order things happened in, messages included
  drill_id   INTEGER NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('inject', 'decision', 'vote', 'message', 'action', 'control')),
  user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  role       TEXT,
  ref        TEXT,                           -- inject id, decision id, expected action id, control verb
  value      TEXT,                           -- option id, how an inject was released, or the message text
  detail     TEXT                            -- the quote that covered an action
);
CREATE INDEX drill_events_drill ON drill_events(drill_id, id);

-- Durable timers: a restart releases anything overdue at once.
CREATE TABLE drill_timers (
  id            INTEGER PRIMARY KEY,
  drill_id      INTEGER NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
  inject_id     TEXT NOT NULL,
  due_at        INTEGER,                     -- NULL while the drill is paused
  remaining_ms  INTEGER,                     -- kept while paused
  status        TEXT NOT NULL CHECK (status IN ('pending', 'fired', 'cancelled'))
);
CREATE INDEX drill_timers_due ON drill_timers(status, due_at);
