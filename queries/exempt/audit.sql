-- audit: append one entry to the audit trail.
-- $1 logged_at, $2 action, $3 exemption_id, $4 who, $5 file, $6 line, $7 detail.
INSERT INTO exemption_audit VALUES ($1, $2, $3, $4, $5, $6, $7);
