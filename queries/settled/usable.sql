-- usable: the settled months a computation at T may read (metrics/settled.go),
-- when the settled figures were counted under these settings and dictionaries ($1
-- the settings' text) and from these derived facts: each month cut by T ($2)
-- whose records' exemptions are those it was counted with, beside the first and
-- last month of the facts (the months outside have no records). No row: none
-- may be read; one row without a month: only the months outside.
SELECT s.month, st.first_month, st.last_month
FROM settled_state st
LEFT JOIN (
    SELECT s.month FROM settled_months s LEFT JOIN settle_marks m ON m.month = s.month
    WHERE s.cut <= $2::TIMESTAMP AND s.exemptions IS NOT DISTINCT FROM m.mark
) s ON true
WHERE st.fingerprint = $1::VARCHAR || '#' || (SELECT text FROM settle_dicts)
  AND st.derived = (SELECT fingerprint FROM derived_state)
ORDER BY s.month;
