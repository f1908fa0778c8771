-- Test helper: a table function that only the (not built-in) excel extension has.
SELECT * FROM read_xlsx($1);
