-- A turn in status 'answered' is a grading job; these columns make the job durable and accountable.
ALTER TABLE turns ADD COLUMN grade_attempts INTEGER NOT NULL DEFAULT 0;  -- started gradings, so a poison answer stops retrying the LLM
ALTER TABLE turns ADD COLUMN grader_used TEXT;                          -- 'llm' when the LLM was asked (counts toward the user's limit)
ALTER TABLE turns ADD COLUMN tokens_in INTEGER;
ALTER TABLE turns ADD COLUMN tokens_out INTEGER;
CREATE INDEX turns_llm_recent ON turns(graded_at) WHERE grader_used = 'llm';
