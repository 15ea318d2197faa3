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
    file_bytes      INTEGER NOT NULL,
    mapping         TEXT NOT NULL DEFAULT '{}',
    dry_run         INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL,
    message         TEXT,
    rows_done       INTEGER NOT NULL DEFAULT 0,
    bytes_done      INTEGER NOT NULL DEFAULT 0,
    created         INTEGER NOT NULL DEFAULT 0,
    updated         INTEGER NOT NULL DEFAULT 0,
    unchanged       INTEGER NOT NULL DEFAULT 0,
    rejected        INTEGER NOT NULL DEFAULT 0,
    created_by      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    started_at      INTEGER,
    progress_at     INTEGER,
    finished_at     INTEGER
);
CREATE INDEX imports_by_time ON imports (created_at);

CREATE TABLE import_rejections (
    import_id   TEXT NOT NULL,
    row_number  INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    field       TEXT NOT NULL,
    message     TEXT NOT NULL,
    PRIMARY KEY (import_id, row_number, position)
);

-- Admins may import.
INSERT INTO user_permissions (user_id, permission)
    SELECT id, 'customers.import' FROM users WHERE role = 'admin';
