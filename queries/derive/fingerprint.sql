-- fingerprint: what the derived facts depend on: the loads that changed calls or
-- orders (count and last id: a load whose rows were all unchanged, superseded or
-- rejected changes neither table, so it needs no rebuild) and the indicator
-- settings. $1 the settings as text. Compared with derived_state.
SELECT 'changed ' || (SELECT count(*) FROM files WHERE inserted + updated > 0)::VARCHAR || '/'
       || (SELECT coalesce(max(file_id), 0) FROM files WHERE inserted + updated > 0)::VARCHAR
       || '/' || $1::VARCHAR,
       (SELECT max(fingerprint) FROM derived_state);
