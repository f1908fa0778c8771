-- 0013_settled: settled figures (metrics/settled.go). Per month, the totals of
-- indicators/order_totals.sql and call_totals.sql under a few groupings of the
-- month's records whose states are all decided by the month's cut (a month after
-- it ends), counted once at a T after every time; the few decided later (late)
-- are kept apart whole and counted at T. A computation at T >= the cut reads the
-- month from here and counts only its late records again. The refresh after a
-- load counts again, in its transaction, the months whose derived rows it replaced.
--   settled_state   what they were counted under: the settings and dictionaries
--                   (fingerprint) and the derived facts (derived_state.fingerprint),
--                   and the first and last month of those facts (the months
--                   outside have no records: nothing to count, at any T)
--   settled_months  per month: its cut, and its records' exemptions as text (a
--                   month whose exemptions changed since is counted at T again)
--   settled_ot, settled_ct  the totals per grouping, month and key
--   settled_late_orders, settled_late_calls, settled_late_order_calls  the late
--                   records (copies of their derived rows: settled/late.sql)
-- A full count makes every table again with the columns of what it copies
-- (settled/reset.sql, reset_late.sql).
CREATE TABLE IF NOT EXISTS settled_state (fingerprint VARCHAR NOT NULL, derived VARCHAR NOT NULL, first_month TIMESTAMP, last_month TIMESTAMP);
CREATE TABLE IF NOT EXISTS settled_months (month TIMESTAMP NOT NULL, cut TIMESTAMP NOT NULL, exemptions VARCHAR);
CREATE TABLE IF NOT EXISTS settled_ot (grp VARCHAR, month TIMESTAMP, k VARCHAR);
CREATE TABLE IF NOT EXISTS settled_ct (grp VARCHAR, month TIMESTAMP, k VARCHAR);
