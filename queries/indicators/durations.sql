-- durations: per group, median and 90th percentile of minutes to sign and to arrive
-- and of days to done (effective orders of P, events by T and not out of order;
-- continuous quantiles; NULL when there is none).
SELECT k, sign_q[1], sign_q[2], arrive_q[1], arrive_q[2], done_q[1], done_q[2] FROM ot WHERE k IS NOT NULL;
