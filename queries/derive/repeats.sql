-- repeats: the first dispatch of every call in scope and the next repeat candidate
-- of those in the repeat population, as temp tables that derive/facts.sql's
-- new_call_derived joins (the rule of SPEC §3 repeat_rate; the scope as in facts.sql):
--   d_first_dispatch  per call of d_call_orders: its first effective dispatch and
--                     how many effective orders it has
--   d_pop             the valid calls of d_calls with an effective order, their two
--                     repeat_hash keys (derive/repeat_hash.sql), and the time after
--                     which another call is a new incident (same_incident)
--   d_next_caller     per call of d_pop, the first candidate (d_cand_caller) with its
--   d_next_address    caller (address) and category, received after that time
-- Each next candidate is found with an ASOF join (never a lookup per call) on the
-- 8-byte hash rather than the key. A collision can only make a call take the
-- nearest candidate of another key with the same hash — a true one cannot be
-- missed, having the same hash — so a pair found is proved when no two (key,
-- category) of the candidates share its hash (every call of the population is a
-- candidate itself: valid, with that key, and d_cand_* take every call of its key);
-- the calls of the hashes that do (d_*_collided, none in practice) are matched
-- again on their keys.
-- Tables, not CTEs of one view: DuckDB materialized the population and the
-- candidates with their key strings for every reference, and the rebuild of
-- call_derived took 73 s against 58 s; as tables of hashes, 20 s against 40 s
-- (10 M calls). Dropped by derive/drop.sql.
--
-- DuckDB plans an ASOF join as a nested loop when it thinks its left side small
-- (asof_loop_join_threshold): an update's 16 000 calls took 8 s that way and
-- 0.3 s as ASOF joins, and a population made in the same transaction looks small
-- to it whatever its size (a full rebuild ran for ten minutes). Reset by
-- derive/drop.sql.
SET asof_loop_join_threshold = 0;

CREATE OR REPLACE TEMP TABLE d_first_dispatch AS
SELECT o.call_id, min(o.dispatched_at) AS first_dispatch_at, count(*) AS effective_orders
FROM d_call_orders o JOIN rules_status r ON r.status = o.status AND r.eff
WHERE o.call_id IS NOT NULL
GROUP BY o.call_id;

CREATE OR REPLACE TEMP TABLE d_pop AS
SELECT c.call_id,
       CASE WHEN c.caller_key IS NOT NULL THEN repeat_hash(c.caller_key, c.category) END AS caller_h,
       CASE WHEN c.address_key IS NOT NULL THEN repeat_hash(c.address_key, c.category) END AS address_h,
       c.received_at + to_seconds((SELECT same_incident_s FROM params)) AS after
FROM d_calls c SEMI JOIN d_first_dispatch fd ON fd.call_id = c.call_id
WHERE c.valid;

-- By caller. (By address below, the same statements: written once for both sides
-- — a side column, one ASOF join — the rebuild took 29 s against 14 s.)
CREATE OR REPLACE TEMP TABLE d_caller_hashed AS
SELECT p.call_id, p.caller_h AS h, n.received_at AS next_at
FROM d_pop p ASOF JOIN (SELECT received_at, repeat_hash(caller_key, category) AS h FROM d_cand_caller) n
  ON n.h = p.caller_h AND n.received_at > p.after
WHERE p.caller_h IS NOT NULL;

CREATE OR REPLACE TEMP TABLE d_caller_collided AS
SELECT repeat_hash(caller_key, category) AS h FROM d_cand_caller
WHERE repeat_hash(caller_key, category) IN (SELECT h FROM d_caller_hashed)
GROUP BY h HAVING count(DISTINCT (caller_key, category)) > 1;

CREATE OR REPLACE TEMP TABLE d_next_caller AS
SELECT call_id, next_at FROM d_caller_hashed WHERE h NOT IN (SELECT h FROM d_caller_collided)
UNION ALL
SELECT p.call_id, n.received_at
FROM (SELECT c.call_id, c.caller_key, c.category, p.after
      FROM d_pop p JOIN d_calls c ON c.call_id = p.call_id
      WHERE p.caller_h IN (SELECT h FROM d_caller_collided)) p
ASOF JOIN (SELECT received_at, caller_key, category FROM d_cand_caller
           WHERE repeat_hash(caller_key, category) IN (SELECT h FROM d_caller_collided)) n
  ON n.caller_key = p.caller_key AND n.category = p.category AND n.received_at > p.after;

-- By address.
CREATE OR REPLACE TEMP TABLE d_address_hashed AS
SELECT p.call_id, p.address_h AS h, n.received_at AS next_at
FROM d_pop p ASOF JOIN (SELECT received_at, repeat_hash(address_key, category) AS h FROM d_cand_address) n
  ON n.h = p.address_h AND n.received_at > p.after
WHERE p.address_h IS NOT NULL;

CREATE OR REPLACE TEMP TABLE d_address_collided AS
SELECT repeat_hash(address_key, category) AS h FROM d_cand_address
WHERE repeat_hash(address_key, category) IN (SELECT h FROM d_address_hashed)
GROUP BY h HAVING count(DISTINCT (address_key, category)) > 1;

CREATE OR REPLACE TEMP TABLE d_next_address AS
SELECT call_id, next_at FROM d_address_hashed WHERE h NOT IN (SELECT h FROM d_address_collided)
UNION ALL
SELECT p.call_id, n.received_at
FROM (SELECT c.call_id, c.address_key, c.category, p.after
      FROM d_pop p JOIN d_calls c ON c.call_id = p.call_id
      WHERE p.address_h IN (SELECT h FROM d_address_collided)) p
ASOF JOIN (SELECT received_at, address_key, category FROM d_cand_address
           WHERE repeat_hash(address_key, category) IN (SELECT h FROM d_address_collided)) n
  ON n.address_key = p.address_key AND n.category = p.category AND n.received_at > p.after;

-- What new_call_derived does not read goes now: at 50 M calls the population alone
-- is 15 M rows, and a full rebuild goes on for three more transactions.
DROP TABLE d_pop; DROP TABLE d_caller_hashed; DROP TABLE d_caller_collided;
DROP TABLE d_address_hashed; DROP TABLE d_address_collided;
