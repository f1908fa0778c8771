-- revoke: revoke an exemption not yet revoked, at or after its approval; returns
-- its id when it did. $1 exemption_id, $2 revoked_at, $3 by, $4 reason.
UPDATE exemptions SET revoked_at = $2, revoked_by = $3, revoke_reason = $4
WHERE exemption_id = $1 AND revoked_at IS NULL AND approved_at <= $2
RETURNING exemption_id;
