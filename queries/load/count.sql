-- count: how the distinct ids of one load were classified (SPEC §2.5). The loader
-- knows the accepted rows; superseded = accepted - distinct ids.
SELECT
    count(*) FILTER (WHERE action = 'inserted')  AS inserted,
    count(*) FILTER (WHERE action = 'updated')   AS updated,
    count(*) FILTER (WHERE action = 'unchanged') AS unchanged
FROM inc;
