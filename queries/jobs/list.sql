-- list: the job history, newest first. $1 how many.
SELECT job, strftime(started_at, '%Y-%m-%d %H:%M:%S'), coalesce(strftime(ended_at, '%Y-%m-%d %H:%M:%S'), ''),
       status, coalesce(message, ''), files, rows, rejected
FROM jobs ORDER BY started_at DESC, ended_at DESC LIMIT $1;
