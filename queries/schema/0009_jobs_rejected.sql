-- 0009_jobs_rejected: the rows a scheduled load rejected (fenliu jobs shows them
-- beside the rows read, and the message names the rejects --file to look at).
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS rejected BIGINT DEFAULT 0;
