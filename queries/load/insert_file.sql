-- insert_file: record one load and its accounting.
INSERT INTO files (file_id, name, path, sha256, kind, profile, encoding, status, message,
                   read, inserted, updated, unchanged, superseded, rejected, date_only, loaded_at, merged)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18);
