-- record: note what call_derived was built from. $1 fingerprint.
DELETE FROM derived_state; INSERT INTO derived_state VALUES ($1);
