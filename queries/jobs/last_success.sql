-- last_success: when a job last ran successfully (NULL if never). $1 job.
SELECT max(started_at) FROM jobs WHERE job = $1 AND status = 'ok';
