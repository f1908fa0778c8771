-- count: the accounting of one load (SPEC §2.5): accepted rows, distinct ids and
-- how the distinct ids were classified. superseded = accepted - distinct.
SELECT
    (SELECT count(*) FROM stage)                          AS accepted,
    count(*) FILTER (WHERE action = 'inserted')           AS inserted,
    count(*) FILTER (WHERE action = 'updated')            AS updated,
    count(*) FILTER (WHERE action = 'unchanged')          AS unchanged
FROM inc;
