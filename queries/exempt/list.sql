-- list: every exemption, in force or (with $1) revoked too, oldest first.
SELECT exemption_id, record_kind, record_id, array_to_string(indicators, ','), reason, approved_by,
       approved_at, revoked_at, coalesce(revoked_by, ''), coalesce(revoke_reason, '')
FROM exemptions
WHERE $1 OR revoked_at IS NULL
ORDER BY exemption_id;
