-- audit_list: the audit trail, oldest first.
SELECT logged_at, action, exemption_id, who, coalesce(file, ''), coalesce(line, 0), coalesce(detail, '')
FROM exemption_audit ORDER BY logged_at, exemption_id;
