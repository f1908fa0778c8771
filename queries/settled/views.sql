-- views: what the settled figures of a month depend on besides the derived facts
-- and the settings (schema/0013_settled.sql), as temp views on one connection.
-- settle_marks: per month, the exemptions of its records as text (an order's
-- month is its dispatch's, a call's its receipt's; a call's exemptions reach the
-- department grouping through its orders, under the call's month too).
CREATE OR REPLACE TEMP VIEW settle_marks AS
SELECT month, string_agg(e.exemption_id::VARCHAR || '/' || e.record_kind || '/' || e.record_id || '/'
        || array_to_string(e.indicators, ',') || '/' || e.approved_at::VARCHAR || '/' || coalesce(e.revoked_at::VARCHAR, '-'),
        ';' ORDER BY e.exemption_id) AS mark
FROM (
    SELECT date_trunc('month', o.dispatched_at) AS month, e.*
    FROM exemptions e JOIN order_derived o ON e.record_kind = 'order' AND o.order_id = e.record_id
    UNION ALL
    SELECT date_trunc('month', c.received_at) AS month, e.*
    FROM exemptions e JOIN call_derived c ON e.record_kind = 'call' AND c.call_id = e.record_id
) e
GROUP BY month;
-- settle_dicts: the dictionaries as text (they name the departments, their kinds
-- and the categories' nature the totals are keyed and counted by).
CREATE OR REPLACE TEMP VIEW settle_dicts AS
SELECT coalesce((SELECT string_agg(name || '/' || alias || '/' || kind || '/' || coalesce(county, '-'), ';'
                     ORDER BY name, alias, kind, county) FROM dict_departments), '')
    || '#' || coalesce((SELECT string_agg(category || '/' || nature, ';' ORDER BY category, nature) FROM dict_categories), '') AS text;
-- settled_cut: the time by which a month's records are counted settled: a month
-- after it ends. The few whose states are decided later are kept apart
-- (settled/late.sql), and the month's settled figures are read at a T from its
-- cut on.
CREATE OR REPLACE TEMP MACRO settled_cut(t) AS date_trunc('month', t) + INTERVAL 2 MONTH;
-- settle_touched: the months whose rows a refresh changes (settled/touched.sql).
CREATE TEMP TABLE IF NOT EXISTS settle_touched (month TIMESTAMP);
