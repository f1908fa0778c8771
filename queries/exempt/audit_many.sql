-- audit_many: the audit entries of a ledger's new exemptions in one statement.
-- $1 logged_at, $2 action, $3 exemption ids, $4 who, $5 file, $6 lines, $7 details
-- (parallel lists).
INSERT INTO exemption_audit
SELECT $1::TIMESTAMP, $2, unnest($3::BIGINT[]), $4, $5, unnest($6::BIGINT[]), unnest($7::VARCHAR[]);
