-- Ingest API: API keys (only a SHA-256 of each key is stored) and the tag-count projection.

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    created_at    BIGINT NOT NULL,
    created_by    TEXT,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);

CREATE TABLE customer_tags (
    customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    tag          TEXT NOT NULL,
    count        BIGINT NOT NULL,
    first_at     BIGINT NOT NULL,
    last_at      BIGINT NOT NULL,
    PRIMARY KEY (customer_id, tag)
);

-- Event-type registry: admins' changes to the built-in types (category, summary template,
-- detail fields) and custom types. Built-in defaults live in code.
CREATE TABLE event_types (
    name              TEXT PRIMARY KEY,
    category          TEXT NOT NULL,
    summary_template  TEXT NOT NULL,
    detail_fields     TEXT NOT NULL DEFAULT '',
    required_fields   TEXT NOT NULL DEFAULT '',
    updated_at        BIGINT NOT NULL
);
