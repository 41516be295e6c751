-- Durable work (SQLite's 009): a grading, a batch of replies to deliver (the outbox), a drill
-- inject; written in the transaction that makes it due, held under a lease, deleted when done.
CREATE TABLE jobs (
  key          TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  platform     TEXT NOT NULL,
  workspace    TEXT NOT NULL,
  user_id      TEXT,
  payload      TEXT NOT NULL DEFAULT '{}',
  run_at       BIGINT NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  claimed_by   TEXT,
  claim_until  BIGINT
);
CREATE INDEX jobs_due ON jobs(platform, run_at);

INSERT INTO jobs (key, kind, platform, workspace, user_id, payload, run_at)
  SELECT 'grade:' || t.id, 'grade', s.platform, s.workspace, u.external_id, '{}', COALESCE(t.answered_at, 0)
    FROM turns t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
   WHERE t.status = 'answered' AND s.status = 'active';
