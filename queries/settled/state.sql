-- state: what the settled figures were counted under, and what they must be
-- counted under now ($1 the settings' text; settled/views.sql's dictionaries).
-- Returns: fingerprint had, fingerprint wanted, the derived facts they follow.
SELECT (SELECT max(fingerprint) FROM settled_state),
    $1::VARCHAR || '#' || (SELECT text FROM settle_dicts),
    (SELECT max(derived) FROM settled_state);
