-- closure_rate (办结反馈率): done_at = feedback_at, else closed_at; due_at =
-- dispatched_at + closure_days[difficulty]. num = done by T, done_at <= due_at and
-- done_at >= dispatched_at - skew; den = done by T or due_at <= T.
-- exempt: members under an exemption in force at T, in neither num, den nor pending.
SELECT k, close_num AS num, close_den AS den, eff - close_den - close_ex AS pending, close_ex AS exempt FROM ot WHERE k IS NOT NULL;
