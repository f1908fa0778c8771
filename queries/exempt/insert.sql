-- insert: a new exemption; returns its id. $1 kind, $2 record id, $3 indicators
-- (a list), $4 reason, $5 approver, $6 approved_at.
INSERT INTO exemptions (exemption_id, record_kind, record_id, indicators, reason, approved_by, approved_at)
VALUES (nextval('exemption_seq'), $1, $2, $3::VARCHAR[], $4, $5, $6)
RETURNING exemption_id;
