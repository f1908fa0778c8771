-- exemptions (temp table ex): per record, the indicators it is exempted from at T
-- (params.asof): an exemption is in force when approved_at <= T and it is not
-- revoked at T (revoked_at IS NULL or revoked_at > T). Several exemptions of one
-- record combine as a union (SPEC §10).
CREATE OR REPLACE TEMP TABLE ex AS
WITH p AS (SELECT * FROM params)
SELECT e.record_kind, e.record_id,
    bool_or(list_contains(e.indicators, 'sign_rate')) AS sign,
    bool_or(list_contains(e.indicators, 'arrival_rate')) AS arr,
    bool_or(list_contains(e.indicators, 'closure_rate')) AS close,
    bool_or(list_contains(e.indicators, 'resolution_rate')) AS res,
    bool_or(list_contains(e.indicators, 'satisfaction_rate')) AS sat,
    bool_or(list_contains(e.indicators, 'return_rate')) AS ret,
    bool_or(list_contains(e.indicators, 'repeat_rate')) AS rep,
    bool_or(list_contains(e.indicators, 'diversion_ratio')) AS div,
    bool_or(list_contains(e.indicators, 'nonpolice_diversion_ratio')) AS npdiv
FROM exemptions e CROSS JOIN p
WHERE e.approved_at <= p.asof AND (e.revoked_at IS NULL OR e.revoked_at > p.asof)
GROUP BY e.record_kind, e.record_id;
