-- full_call_derived: a full rebuild of call_derived from new_call_derived (derive/facts.sql) over every
-- row, sorted by received_at so that a period reads only its own row groups.
CREATE OR REPLACE TABLE call_derived AS SELECT * FROM new_call_derived ORDER BY received_at;
