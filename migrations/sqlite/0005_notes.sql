-- Notes agents keep on a customer, the reasons they can file them under, and the restriction
-- flag the header shows (set by data-privacy requests).

CREATE TABLE note_reasons (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    sort_order  INTEGER NOT NULL
);

INSERT INTO note_reasons (id, name, sort_order) VALUES
    ('complaint',      'Complaint',      1),
    ('points-query',   'Points query',   2),
    ('account-update', 'Account update', 3),
    ('compliment',     'Compliment',     4),
    ('other',          'Other',          5);

CREATE TABLE notes (
    id            TEXT PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    reason        TEXT,
    body          TEXT NOT NULL,
    author_email  TEXT NOT NULL,
    author_name   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    edited_at     INTEGER,
    edited_by     TEXT
);

CREATE INDEX notes_by_customer ON notes (customer_id, created_at DESC, id DESC);

ALTER TABLE customers ADD COLUMN restricted_at INTEGER;
