-- Forget-me deletes the jobs queued for a person (a delivery's replies quote their answers) by
-- their platform id; without this it would read the whole jobs table.
CREATE INDEX jobs_user ON jobs(platform, workspace, user_id);
