-- Test helper: every user table, for the personal-information audit.
SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name;
