-- sign_rate (签收率): num = effective orders of P signed by T with signed_at -
-- dispatched_at in [-skew, sign_sla[priority]]; den = effective orders of P signed by
-- T or whose sign window has ended by T; pending = effective orders - den.
-- (Membership: order_facts.sql sign_num, sign_den.)
-- exempt: members under an exemption in force at T, in neither num, den nor pending.
SELECT k, sign_num AS num, sign_den AS den, eff - sign_den - sign_ex AS pending, sign_ex AS exempt FROM ot WHERE k IS NOT NULL;
