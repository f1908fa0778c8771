-- group_kinds: the department kind (peer group) of each group of the department
-- grouping; unknown departments are 其他.
SELECT k, dept_kind FROM ot WHERE k IS NOT NULL;
