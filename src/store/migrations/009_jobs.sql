-- Durable work: a grading, a batch of replies to deliver (the outbox), a drill inject. A job is
-- written in the same transaction as the state that makes it due, held by one process at a
-- time under a lease (claimed_by until claim_until), and deleted when done. A process that dies
-- holding one loses it when the lease runs out, and another process takes it over.
CREATE TABLE jobs (
  key          TEXT PRIMARY KEY,               -- stable: grade:<turnId>, deliver:<what>, inject:<drillId>:<injectId>
  kind         TEXT NOT NULL,
  platform     TEXT NOT NULL,                  -- whose process may run it: the platform its replies go to
  workspace    TEXT NOT NULL,
  user_id      TEXT,                           -- the platform user it serves, for a one-person process (the terminal)
  payload      TEXT NOT NULL DEFAULT '{}',     -- JSON
  run_at       INTEGER NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  claimed_by   TEXT,
  claim_until  INTEGER
) WITHOUT ROWID;
CREATE INDEX jobs_due ON jobs(platform, run_at);

-- Answers a crash left ungraded before this version become grading jobs.
INSERT INTO jobs (key, kind, platform, workspace, user_id, payload, run_at)
  SELECT 'grade:' || t.id, 'grade', s.platform, s.workspace, u.external_id, '{}', COALESCE(t.answered_at, 0)
    FROM turns t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
   WHERE t.status = 'answered' AND s.status = 'active';
