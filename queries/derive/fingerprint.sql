-- fingerprint: what the derived facts depend on, and what they were built from.
-- They depend on the loads that changed calls or orders (a load whose rows were all
-- unchanged, superseded or rejected changes neither table) and the indicator
-- settings. $1 the settings as text.
-- Returns: want, have (the fingerprints compared by Fresh); the settings, covered
-- file and loads they were built from, the rows updates appended since the last
-- full rebuild; how many changing loads came after the
-- covered file and how many rows they inserted or updated; the rows stored.
WITH chg AS (SELECT file_id, inserted + updated AS n FROM files WHERE inserted + updated > 0),
have AS (SELECT max(fingerprint) AS fp, max(settings) AS settings, max(covered) AS covered, max(loads) AS loads,
             max(appended) AS appended FROM derived_state)
SELECT 'changed ' || (SELECT count(*) FROM chg)::VARCHAR || '/'
       || (SELECT coalesce(max(file_id), 0) FROM chg)::VARCHAR || '/' || $1::VARCHAR,
       have.fp, have.settings, have.covered, have.loads, coalesce(have.appended, 0),
       (SELECT count(*) FROM chg WHERE file_id > coalesce(have.covered, 0)),
       (SELECT coalesce(sum(n), 0) FROM chg WHERE file_id > coalesce(have.covered, 0))::BIGINT,
       (SELECT count(*) FROM calls) + (SELECT count(*) FROM orders),
       (SELECT count(*) FROM chg),
       (SELECT coalesce(max(file_id), 0) FROM chg)
FROM have;
