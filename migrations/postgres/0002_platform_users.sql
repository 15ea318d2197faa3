-- Platform users (care agents, store associates, privacy officers, admins), their permissions,
-- sessions, sign-in throttling, the audit trail and organisation settings.

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT COLLATE "C" NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    active         BIGINT NOT NULL DEFAULT 1,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE user_permissions (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    permission  TEXT NOT NULL,
    PRIMARY KEY (user_id, permission)
);

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE sign_in_throttle (
    email_key      TEXT PRIMARY KEY,
    failures       BIGINT NOT NULL,
    window_start   BIGINT NOT NULL,
    locked_until   BIGINT
);

CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY,
    at           BIGINT NOT NULL,
    actor_id     TEXT,
    actor_email  TEXT NOT NULL,
    action       TEXT NOT NULL,
    customer_id  TEXT,
    subject      TEXT,
    before_json  TEXT,
    after_json   TEXT
);
CREATE INDEX audit_by_time ON audit_log (at DESC, id DESC);
CREATE INDEX audit_by_customer ON audit_log (customer_id, at DESC);
CREATE INDEX audit_by_actor ON audit_log (actor_email, at DESC);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('search_mode', 'exact');
