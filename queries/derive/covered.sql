-- covered: the last changing load the derived facts cover, for derive/scope_changed.sql
-- (a statement of its own: only a script's last statement takes parameters).
-- $1 file_id.
CREATE OR REPLACE TEMP TABLE covered AS SELECT $1::INTEGER AS file_id;
