-- keys: the macros that make the group keys of the order and call facts
-- (order_facts.sql, call_facts.sql) for the slots of params.sql, and the month
-- prefix (also repeat_groups.sql's, which resolves each raw department through the
-- dictionary itself, once per name rather than once per order).
-- An order's key under grouping g (NULL for a grouping of calls only): its
-- department as the dictionary names it, its kind, its town or county (its own,
-- else its call's), link category or source.
CREATE OR REPLACE TEMP MACRO order_key(g, dept_name, dept_kind, town, county, link_category, source) AS
    CASE g
        WHEN 'total' THEN 'total'
        WHEN 'department' THEN dept_name
        WHEN 'kind' THEN dept_kind
        WHEN 'town' THEN coalesce(town, '未知')
        WHEN 'county' THEN coalesce(county, '未知')
        WHEN 'link_category' THEN coalesce(link_category, '未知')
        WHEN 'source' THEN source
    END;
-- A call's key under grouping g (NULL for a grouping of orders only).
CREATE OR REPLACE TEMP MACRO call_key(g, county, town, police_station, category, nature) AS
    CASE g
        WHEN 'total' THEN 'total'
        WHEN 'county' THEN coalesce(county, '未知')
        WHEN 'town' THEN coalesce(town, '未知')
        WHEN 'police_station' THEN coalesce(police_station, '未知')
        WHEN 'category' THEN category
        WHEN 'nature' THEN nature
    END;
-- month_key: key prefixed with the month of t when split.
CREATE OR REPLACE TEMP MACRO month_key(split, t, key) AS
    CASE WHEN split THEN strftime(t, '%Y-%m') || '|' ELSE '' END || key;
-- slot_key: a record at time t under a slot: its key (with the month), or NULL
-- when the slot is unused or t is outside its period. The totals prefix each
-- group's key with its slot once it is counted (queries.WithSlots), not each row.
CREATE OR REPLACE TEMP MACRO slot_key(g, split, a, b, t, key) AS
    CASE WHEN g IS NOT NULL AND t >= a AND t < b THEN month_key(split, t, key) END;
