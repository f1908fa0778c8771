-- last_runs: per job, its last run (time, status, message) and its last success.
SELECT job, strftime(max(started_at), '%Y-%m-%d %H:%M:%S'), arg_max(status, started_at), coalesce(arg_max(message, started_at), ''),
       coalesce(strftime(max(started_at) FILTER (WHERE status = 'ok'), '%Y-%m-%d %H:%M:%S'), '')
FROM jobs GROUP BY job ORDER BY job;
