-- record: note what the settled figures were counted under. $1 the fingerprint
-- (settled/state.sql), $2 the derived facts' (derived_state.fingerprint), $3 and
-- $4 their first and last month (settled/extent.sql).
DELETE FROM settled_state;
INSERT INTO settled_state VALUES ($1, $2, $3, $4);
