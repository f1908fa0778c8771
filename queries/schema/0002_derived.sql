-- 0002_derived: per-call facts that depend only on the loaded data and the repeat
-- settings, so that an indicator computation never recomputes them (rebuilt after
-- loads by queries/derive/rebuild_calls.sql; compared with T at query time).

CREATE TABLE IF NOT EXISTS call_derived (
    call_id           VARCHAR NOT NULL,
    received_at       TIMESTAMP NOT NULL,
    valid             BOOLEAN NOT NULL,
    category          VARCHAR NOT NULL,
    nature            VARCHAR,
    county            VARCHAR,
    town              VARCHAR,
    police_station    VARCHAR,
    -- earliest dispatched_at of the call's effective orders: diverted at T when <= T
    first_dispatch_at TIMESTAMP,
    -- earliest valid call with the same caller_key or address_key (non-null) and the
    -- same category received after received_at + same_incident: repeated at T when
    -- it is <= received_at + repeat_window and <= T
    next_repeat_at    TIMESTAMP
);

-- What call_derived was built from: the loads and the settings it depends on.
CREATE TABLE IF NOT EXISTS derived_state (
    fingerprint VARCHAR NOT NULL
);

-- The effective orders of valid calls with their call's time and next repeat, for
-- the repeat_rate of order-only groupings (a call counts for each group of its
-- orders). Sorted by the call's time, so a period reads only its own rows.
CREATE TABLE IF NOT EXISTS order_calls (
    call_id          VARCHAR NOT NULL,
    call_received_at TIMESTAMP NOT NULL,
    next_repeat_at   TIMESTAMP,
    department       VARCHAR NOT NULL,
    link_category    VARCHAR,
    source           VARCHAR NOT NULL,
    dispatched_at    TIMESTAMP NOT NULL
);

-- Per order, what depends only on the data and the SLA settings: the windows, the
-- due date, done_at, out-of-order, durations, and its call's town and county.
-- Sorted by dispatched_at, so a period reads only its own rows.
CREATE TABLE IF NOT EXISTS order_derived (
    order_id        VARCHAR NOT NULL,
    call_id         VARCHAR,
    dispatched_at   TIMESTAMP NOT NULL,
    department      VARCHAR NOT NULL,
    link_category   VARCHAR,
    source          VARCHAR NOT NULL,
    town            VARCHAR, -- its own, else its call's
    county          VARCHAR,
    status          VARCHAR NOT NULL,
    eff             BOOLEAN NOT NULL,
    onsite_required BOOLEAN NOT NULL,
    earliest        TIMESTAMP NOT NULL, -- dispatched_at - skew
    signed_at       TIMESTAMP,
    arrived_at      TIMESTAMP,
    done_at         TIMESTAMP,          -- feedback_at, else closed_at
    sign_end        TIMESTAMP NOT NULL, -- dispatched_at + sign_sla[priority]
    arrival_end     TIMESTAMP NOT NULL, -- dispatched_at + arrival_sla[priority][area_type]
    due_at          TIMESTAMP NOT NULL, -- dispatched_at + closure_days[difficulty]
    outcome         VARCHAR,
    satisfaction    VARCHAR,
    revisited_at    TIMESTAMP,
    out_of_order    BOOLEAN NOT NULL
);
