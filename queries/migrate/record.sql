-- record: note one applied migration. $1 version, $2 file name.
INSERT INTO migrations (version, name) VALUES ($1, $2);
