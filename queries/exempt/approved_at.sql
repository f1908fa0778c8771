-- exempt_approved_at: the approval time of an exemption not yet revoked (why a
-- revocation was refused). $1 exemption_id.
SELECT approved_at FROM exemptions WHERE exemption_id = $1 AND revoked_at IS NULL;
