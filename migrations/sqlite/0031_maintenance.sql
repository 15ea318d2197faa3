-- A console in maintenance (while `move` carries it to another database): one row says why
-- and since when. Every change (`Change::begin`) refuses while it is there, so ingest and
-- webhooks answer 503 with Retry-After and pages say the console is moving. Never moved.
CREATE TABLE maintenance (
    id     INTEGER PRIMARY KEY,
    reason TEXT NOT NULL,
    since  BIGINT NOT NULL
);
