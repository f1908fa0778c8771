-- scope_changed: the scope of an incremental update (derive/facts.sql): the rows
-- whose derived facts the loads after the covered file (derive/covered.sql) can
-- have changed, found before any derived table is touched (the old values are read
-- from them). A load writes each row it inserts or replaces with its own file_id,
-- so the changed rows are those with a file_id above it; their old versions are gone
-- from calls and orders but still in call_derived and order_derived.
--
-- A call's derived row can change when
--   - it changed itself;
--   - one of its orders changed (its call_id before or after): first dispatch,
--     effective orders, and whether it is in the repeat population;
--   - a changed call, as it is now, shares its caller or address key and its
--     category, and came within the repeat window after it: it may now be its
--     next repeat (call_derived keeps a next repeat only inside the window:
--     derive/facts.sql);
--   - its next repeat was a changed call as it was (same time and category): that
--     candidate may be gone. (The keys of the old version are not kept; the time
--     and category find a superset of the calls it was the candidate of.)
-- An order's derived row can change when it changed or its call did (town, county).
CREATE OR REPLACE TEMP TABLE chg_calls AS
SELECT call_id, received_at, caller_key, address_key, category FROM calls WHERE file_id > (SELECT file_id FROM covered);
-- The calls a changed one may be the next repeat of came in the window before
-- it: bounds as constants (variables), so that the scans of every stored key read
-- only the days around the load's calls (the calls lie in time order, and DuckDB
-- skips the row groups outside).
SET VARIABLE scope_window = (SELECT to_seconds(repeat_window_s) FROM params);
SET VARIABLE scope_lo = (SELECT coalesce(min(received_at), TIMESTAMP '9999-01-01') FROM chg_calls) - getvariable('scope_window');
SET VARIABLE scope_hi = (SELECT coalesce(max(received_at), TIMESTAMP '0001-01-01') FROM chg_calls);
CREATE OR REPLACE TEMP TABLE chg_orders AS
SELECT order_id, call_id FROM orders WHERE file_id > (SELECT file_id FROM covered);
CREATE OR REPLACE TEMP TABLE scope_call_ids AS
SELECT call_id FROM chg_calls
UNION SELECT call_id FROM chg_orders WHERE call_id IS NOT NULL
UNION SELECT d.call_id FROM order_derived d
      WHERE d.order_id IN (SELECT order_id FROM chg_orders) AND d.call_id IS NOT NULL
UNION SELECT c.call_id FROM calls c SEMI JOIN chg_calls k ON k.caller_key = c.caller_key AND k.category = c.category
          AND c.received_at >= k.received_at - getvariable('scope_window') AND c.received_at <= k.received_at
      WHERE c.valid AND c.received_at >= getvariable('scope_lo') AND c.received_at <= getvariable('scope_hi')
UNION SELECT c.call_id FROM calls c SEMI JOIN chg_calls k ON k.address_key = c.address_key AND k.category = c.category
          AND c.received_at >= k.received_at - getvariable('scope_window') AND c.received_at <= k.received_at
      WHERE c.valid AND c.received_at >= getvariable('scope_lo') AND c.received_at <= getvariable('scope_hi')
UNION SELECT d.call_id FROM call_derived d
      SEMI JOIN (SELECT received_at, category FROM call_derived WHERE call_id IN (SELECT call_id FROM chg_calls)) y
      ON d.next_repeat_at = y.received_at AND d.category = y.category;
CREATE OR REPLACE TEMP TABLE scope_calls AS
SELECT call_id, received_at, caller_key, address_key, category, valid, nature, county, town, police_station
FROM calls WHERE call_id IN (SELECT call_id FROM scope_call_ids);
CREATE OR REPLACE TEMP TABLE scope_order_ids AS
SELECT order_id FROM chg_orders
UNION SELECT order_id FROM orders WHERE call_id IN (SELECT call_id FROM chg_calls);
CREATE OR REPLACE TEMP VIEW d_calls AS SELECT * FROM scope_calls;
CREATE OR REPLACE TEMP VIEW d_call_orders AS
SELECT * FROM orders WHERE call_id IN (SELECT call_id FROM scope_call_ids);
-- The candidates are read several times (derive/repeats.sql): made once, each a
-- scan of the stored keys of the scope's span and one repeat window after it (a
-- next repeat further away is not kept). Every call of the repeat population is
-- a candidate itself, as derive/repeats.sql's check of hash collisions needs.
SET VARIABLE cand_lo = (SELECT coalesce(min(received_at), TIMESTAMP '9999-01-01') FROM scope_calls);
SET VARIABLE cand_hi = (SELECT coalesce(max(received_at), TIMESTAMP '0001-01-01') FROM scope_calls) + getvariable('scope_window');
CREATE OR REPLACE TEMP TABLE scope_cand_caller AS
SELECT received_at, caller_key, category FROM calls
WHERE valid AND caller_key IN (SELECT caller_key FROM scope_calls)
  AND received_at >= getvariable('cand_lo') AND received_at <= getvariable('cand_hi');
CREATE OR REPLACE TEMP TABLE scope_cand_address AS
SELECT received_at, address_key, category FROM calls
WHERE valid AND address_key IN (SELECT address_key FROM scope_calls)
  AND received_at >= getvariable('cand_lo') AND received_at <= getvariable('cand_hi');
CREATE OR REPLACE TEMP VIEW d_cand_caller AS SELECT * FROM scope_cand_caller;
CREATE OR REPLACE TEMP VIEW d_cand_address AS SELECT * FROM scope_cand_address;
CREATE OR REPLACE TEMP VIEW d_orders AS
SELECT * FROM orders WHERE order_id IN (SELECT order_id FROM scope_order_ids);
