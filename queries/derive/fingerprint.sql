-- fingerprint: what the derived facts depend on: every load (count and last id) and
-- the indicator settings. $1 the settings as text. Compared with derived_state.
SELECT (SELECT count(*) FROM files)::VARCHAR || '/' || (SELECT coalesce(max(file_id), 0) FROM files)::VARCHAR
       || '/' || $1::VARCHAR,
       (SELECT max(fingerprint) FROM derived_state);
