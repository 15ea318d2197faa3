-- Third-party panels beside a profile's analytics: the console's server calls each active
-- panel's HTTPS address for an open profile (signed with the panel's secret, sending only the
-- identifiers it may) and shows the metrics it answers. `sends`: none, external_id or email.
CREATE TABLE panels (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    url            TEXT NOT NULL,
    sends          TEXT NOT NULL,
    secret         TEXT NOT NULL,
    timeout_ms     BIGINT NOT NULL,
    cache_seconds  BIGINT NOT NULL,
    active         BIGINT NOT NULL DEFAULT 1,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
