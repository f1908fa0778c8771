-- Test helper: the calls table without load provenance, in id order.
SELECT * EXCLUDE (file_id, line) FROM calls ORDER BY call_id;
