-- Chat platforms deliver an event at least once: Slack retries when an ack is slow or lost,
-- Socket Mode redelivers after a reconnect. Remembering ids we already handled means a
-- retried answer is never graded twice, even across a restart.
CREATE TABLE platform_events (
  platform     TEXT NOT NULL,
  event_id     TEXT NOT NULL,
  received_at  INTEGER NOT NULL,
  PRIMARY KEY (platform, event_id)
) WITHOUT ROWID;
CREATE INDEX platform_events_received ON platform_events(received_at);

-- Threads the bot opened for a session, and whose they are. Lets an adapter tell a reply in a
-- session's thread from ordinary chatter in a channel without creating a user for everyone
-- who talks in a channel the bot is in.
CREATE TABLE platform_threads (
  platform     TEXT NOT NULL,
  workspace    TEXT NOT NULL,
  channel      TEXT NOT NULL,
  thread       TEXT NOT NULL,
  user_id      TEXT NOT NULL,                 -- the platform's user id of the session's owner
  opened_at    INTEGER NOT NULL,
  PRIMARY KEY (platform, workspace, channel, thread)
) WITHOUT ROWID;
