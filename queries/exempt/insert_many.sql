-- insert_many: a ledger's new exemptions in one statement; returns each with its
-- id. Parallel lists: $1 kinds, $2 record ids, $3 indicators (comma-joined),
-- $4 reasons, $5 approvers, $6 approval times ('YYYY-MM-DD HH:MM:SS'), $7 order.
INSERT INTO exemptions (exemption_id, record_kind, record_id, indicators, reason, approved_by, approved_at)
SELECT nextval('exemption_seq'), k, id, string_split(inds, ','), reason, approver, ts::TIMESTAMP
FROM (SELECT unnest($1::VARCHAR[]) AS k, unnest($2::VARCHAR[]) AS id, unnest($3::VARCHAR[]) AS inds,
             unnest($4::VARCHAR[]) AS reason, unnest($5::VARCHAR[]) AS approver, unnest($6::VARCHAR[]) AS ts,
             unnest($7::BIGINT[]) AS n)
ORDER BY n
RETURNING exemption_id, record_kind, record_id, array_to_string(indicators, ','), reason, approved_by, approved_at;
