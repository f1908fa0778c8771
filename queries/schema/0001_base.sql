-- 0001_base: the loaded exports, the file registry, the rejects ledger and the
-- dictionaries. Timestamps are naive local wall-clock time in the configured zone
-- (TIMESTAMP, never TIMESTAMPTZ): see docs/loading.md. No primary keys: ids are kept
-- unique by the loader, and ART indexes would slow bulk loads and forbid the
-- delete-then-insert of a replaced row inside one transaction.

CREATE SEQUENCE IF NOT EXISTS file_seq START 1;

-- One row per file that was loaded or skipped (refused files are not recorded).
CREATE TABLE IF NOT EXISTS files (
    file_id    INTEGER NOT NULL,
    name       VARCHAR NOT NULL, -- base name, as shown in reports and the ledger
    path       VARCHAR NOT NULL, -- absolute path at load time
    sha256     VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL, -- calls | orders
    profile    VARCHAR NOT NULL,
    encoding   VARCHAR NOT NULL,
    status     VARCHAR NOT NULL, -- loaded | skipped
    message    VARCHAR,
    read       BIGINT NOT NULL,
    inserted   BIGINT NOT NULL,
    updated    BIGINT NOT NULL,
    unchanged  BIGINT NOT NULL,
    superseded BIGINT NOT NULL,
    rejected   BIGINT NOT NULL,
    date_only  BIGINT NOT NULL,  -- timestamps given as a date alone (SPEC §2.4)
    loaded_at  TIMESTAMP NOT NULL
);

-- The rejects ledger: one entry per rejected row, for its first failing field.
-- value is already phone-masked.
CREATE TABLE IF NOT EXISTS rejects (
    file_id INTEGER NOT NULL,
    file    VARCHAR NOT NULL,
    line    BIGINT NOT NULL,
    field   VARCHAR NOT NULL,
    value   VARCHAR,
    reason  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS calls (
    call_id        VARCHAR NOT NULL,
    received_at    TIMESTAMP NOT NULL,
    caller_key     VARCHAR, -- HMAC-SHA256(secret, digits), hex; never the number
    caller_masked  VARCHAR, -- 138****1234
    address        VARCHAR,
    address_key    VARCHAR,
    county         VARCHAR,
    town           VARCHAR,
    village        VARCHAR,
    police_station VARCHAR,
    category       VARCHAR NOT NULL,
    subcategory    VARCHAR,
    nature         VARCHAR, -- as exported; NULL: from the category dictionary at query time
    valid          BOOLEAN NOT NULL,
    disposition    VARCHAR,
    summary        VARCHAR,
    date_only      VARCHAR, -- fields given as a date alone, comma-separated
    file_id        INTEGER NOT NULL,
    line           BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS orders (
    order_id        VARCHAR NOT NULL,
    call_id         VARCHAR,
    source          VARCHAR NOT NULL,
    dispatched_at   TIMESTAMP NOT NULL,
    department      VARCHAR NOT NULL, -- as exported (trimmed); aliases resolve at query time
    county          VARCHAR,
    town            VARCHAR,
    link_category   VARCHAR,
    tag             VARCHAR,
    priority        VARCHAR NOT NULL,
    area_type       VARCHAR NOT NULL,
    onsite_required BOOLEAN NOT NULL,
    difficulty      VARCHAR NOT NULL,
    signed_at       TIMESTAMP,
    arrived_at      TIMESTAMP,
    feedback_at     TIMESTAMP,
    closed_at       TIMESTAMP,
    status          VARCHAR NOT NULL,
    returned_at     TIMESTAMP,
    return_reason   VARCHAR,
    outcome         VARCHAR,
    onsite_resolved BOOLEAN,
    revisited_at    TIMESTAMP,
    satisfaction    VARCHAR,
    last_event_at   TIMESTAMP NOT NULL, -- latest non-null lifecycle timestamp (SPEC §8)
    nonnull         INTEGER NOT NULL,   -- parsed non-null fields before defaults
    date_only       VARCHAR,
    file_id         INTEGER NOT NULL,
    line            BIGINT NOT NULL
);

-- Dictionaries, replaced from the configured CSV files before every load.
CREATE TABLE IF NOT EXISTS dict_departments (
    name   VARCHAR NOT NULL,
    alias  VARCHAR NOT NULL, -- the name itself is one of its aliases
    kind   VARCHAR NOT NULL,
    county VARCHAR
);

CREATE TABLE IF NOT EXISTS dict_categories (
    category VARCHAR NOT NULL,
    nature   VARCHAR NOT NULL
);
