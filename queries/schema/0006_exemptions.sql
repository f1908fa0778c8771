-- 0006_exemptions: decided appeals (核减, SPEC §10) and their audit trail. An
-- exemption takes one record (an order or a call) out of the named indicators'
-- base while in force: approved_at <= T and (revoked_at IS NULL or revoked_at > T).
-- Nothing is deleted: a revocation fills the revoked_* columns of its exemption,
-- and every add, import row and revocation appends to exemption_audit.
CREATE SEQUENCE IF NOT EXISTS exemption_seq START 1;
CREATE TABLE IF NOT EXISTS exemptions (
    exemption_id  INTEGER NOT NULL,
    record_kind   VARCHAR NOT NULL,   -- order | call
    record_id     VARCHAR NOT NULL,
    indicators    VARCHAR[] NOT NULL, -- indicator ids, expanded (never "all")
    reason        VARCHAR NOT NULL,
    approved_by   VARCHAR NOT NULL,
    approved_at   TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP,
    revoked_by    VARCHAR,
    revoke_reason VARCHAR
);
CREATE TABLE IF NOT EXISTS exemption_audit (
    logged_at    TIMESTAMP NOT NULL,  -- by the clock
    action       VARCHAR NOT NULL,    -- add | import | revoke
    exemption_id INTEGER NOT NULL,
    who          VARCHAR NOT NULL,
    file         VARCHAR,             -- the ledger, for an import
    line         INTEGER,
    detail       VARCHAR
);
