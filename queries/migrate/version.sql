-- version: the highest applied migration, 0 for a new database.
SELECT coalesce(max(version), 0) FROM migrations;
