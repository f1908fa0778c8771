-- exemptions_in_force: how many exemptions are in force at $asof, whatever their
-- record's period (the 指标口径 note, SPEC §10).
SELECT count(*) FROM exemptions
WHERE approved_at <= $asof AND (revoked_at IS NULL OR revoked_at > $asof);
