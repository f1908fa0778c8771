-- repeat_hash: the 64-bit key on which derive/repeats.sql's ASOF joins match a
-- call's caller or address and category with its candidates'. Sorting 64-character
-- HMACs and address texts made those joins twice as slow (10 M calls: 17 s against
-- 8.5 s by caller). A hash can collide: repeats.sql proves where it did not and
-- matches again on the keys where it did; the tests replace this macro with
-- colliding ones (metrics TestRepeatHashCollisions).
CREATE OR REPLACE TEMP MACRO repeat_hash(key, category) AS hash(key, category);
