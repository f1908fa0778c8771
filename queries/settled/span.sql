-- span: the months [$1, $2) counted now, the grouping of each slot ($3, comma
-- separated) and the repeat window ($4 seconds), for the statements of
-- settled/late.sql and settled/store.sql.
CREATE OR REPLACE TEMP TABLE settle_span AS
SELECT $1::TIMESTAMP AS a, $2::TIMESTAMP AS b, string_split($3::VARCHAR, ',') AS grps, $4::BIGINT AS window_s;
