-- What people are called, as their platform last showed it. Slack sends names with commands and
-- clicks but not with messages, and Discord only with the events a person causes; kept here so a
-- restart (or another process) does not turn people into bare ids. Deleted by forget-me.
CREATE TABLE platform_names (
  platform      TEXT NOT NULL,
  workspace     TEXT NOT NULL,
  user_id       TEXT NOT NULL,                 -- the platform's user id
  display_name  TEXT NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (platform, workspace, user_id)
) WITHOUT ROWID;

-- Forget-me deletes a person's threads by their platform id; Discord's threads live here now too.
CREATE INDEX platform_threads_user ON platform_threads(platform, workspace, user_id);
