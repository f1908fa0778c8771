-- in_force: the exemptions in force at T, for explain's reasons, oldest first.
-- $1 T.
SELECT record_kind, record_id, indicators, reason, approved_by, approved_at
FROM exemptions
WHERE approved_at <= $1 AND (revoked_at IS NULL OR revoked_at > $1)
ORDER BY approved_at, exemption_id;
