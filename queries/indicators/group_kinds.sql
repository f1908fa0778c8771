-- group_kinds: the department kind (peer group) of each group of the department
-- grouping; unknown departments are 其他. (A settled month keeps the kind of its
-- department groups only: settled/store.sql.)
SELECT k, dept_kind FROM ot WHERE k IS NOT NULL AND dept_kind IS NOT NULL;
