-- Imports of customers (CSV or NDJSON) and historical events (NDJSON): one row per uploaded or
-- named file, its column mapping, how far it got (so a stopped import resumes after the last
-- committed batch) and its counts; the rows it refused, each with the bad field and why (never
-- the row's values: they may be personal data that a forget could not reach here).
CREATE TABLE imports (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('customers', 'events')),
    format          TEXT NOT NULL CHECK (format IN ('csv', 'ndjson')),
    file_name       TEXT NOT NULL,
    file_path       TEXT NOT NULL,
    file_bytes      BIGINT NOT NULL,
    mapping         TEXT NOT NULL DEFAULT '{}',
    dry_run         BIGINT NOT NULL DEFAULT 0,
    status          TEXT NOT NULL,
    message         TEXT,
    rows_done       BIGINT NOT NULL DEFAULT 0,
    bytes_done      BIGINT NOT NULL DEFAULT 0,
    created         BIGINT NOT NULL DEFAULT 0,
    updated         BIGINT NOT NULL DEFAULT 0,
    unchanged       BIGINT NOT NULL DEFAULT 0,
    rejected        BIGINT NOT NULL DEFAULT 0,
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    started_at      BIGINT,
    progress_at     BIGINT,
    finished_at     BIGINT
);
CREATE INDEX imports_by_time ON imports (created_at);

CREATE TABLE import_rejections (
    import_id   TEXT NOT NULL,
    row_number  BIGINT NOT NULL,
    position    BIGINT NOT NULL,
    field       TEXT NOT NULL,
    message     TEXT NOT NULL,
    PRIMARY KEY (import_id, row_number, position)
);

-- Admins may import.
INSERT INTO user_permissions (user_id, permission)
    SELECT id, 'customers.import' FROM users WHERE role = 'admin';
