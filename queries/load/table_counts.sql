-- table_counts: rows stored per table.
SELECT (SELECT count(*) FROM calls), (SELECT count(*) FROM orders), (SELECT count(*) FROM rejects),
       (SELECT count(*) FROM files);
