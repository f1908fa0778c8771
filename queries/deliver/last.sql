-- last: each (report, recipient, channel)'s last delivery, for one report ($1)
-- or every report ($1 = ''): what was sent already, what failed and waits for a
-- retry.
SELECT report, manifest, recipient, channel, status, attempts, coalesce(message, ''), tried_at
FROM deliveries
WHERE $1 = '' OR report = $1
QUALIFY row_number() OVER (PARTITION BY report, recipient, channel ORDER BY tried_at DESC, rowid DESC) = 1
ORDER BY tried_at, report, recipient, channel;
