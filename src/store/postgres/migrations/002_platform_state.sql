-- Event ids already handled (platforms deliver at least once), the threads the bot opened and
-- whose they are, and display names: SQLite's 003 and 007.
CREATE TABLE platform_events (
  platform     TEXT NOT NULL,
  event_id     TEXT NOT NULL,
  received_at  BIGINT NOT NULL,
  PRIMARY KEY (platform, event_id)
);
CREATE INDEX platform_events_received ON platform_events(received_at);

CREATE TABLE platform_threads (
  platform     TEXT NOT NULL,
  workspace    TEXT NOT NULL,
  channel      TEXT NOT NULL,
  thread       TEXT NOT NULL,
  user_id      TEXT NOT NULL,                 -- the platform's user id of the session's owner
  opened_at    BIGINT NOT NULL,
  PRIMARY KEY (platform, workspace, channel, thread)
);
CREATE INDEX platform_threads_user ON platform_threads(platform, workspace, user_id);

CREATE TABLE platform_names (
  platform      TEXT NOT NULL,
  workspace     TEXT NOT NULL,
  user_id       TEXT NOT NULL,                -- the platform's user id
  display_name  TEXT NOT NULL,
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (platform, workspace, user_id)
);
