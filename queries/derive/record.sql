-- record: note what the derived facts were built from. $1 fingerprint, $2 the
-- settings, $3 the last changing load covered, $4 how many changing loads, $5 the
-- rows updates appended since the last full rebuild.
DELETE FROM derived_state;
INSERT INTO derived_state (fingerprint, settings, covered, loads, appended) VALUES ($1, $2, $3, $4, $5);
