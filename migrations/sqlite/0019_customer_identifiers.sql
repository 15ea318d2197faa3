-- A customer's identifiers in their own table, many per customer, one primary per kind; a
-- (kind, normalised value) belongs to at most one customer, kept by `identifier_owners`, whose
-- key is the value alone (on Citus it is distributed by the value, so finding a customer by an
-- identifier reads one shard). `customers` keeps its own id as its only unique key: its email,
-- phone, card_number and external_id become copies of the primary identifier of each kind,
-- for lists and sorting. Every per-customer table's primary key now starts with customer_id,
-- the rule a Citus cluster enforces for tables distributed by customer.
--
-- Rebuilding a table drops the old one: the migrations run with foreign keys off (see
-- `store/db.rs`), so dropping `customers` does not cascade, and a foreign-key check follows.

CREATE TABLE identifier_kinds (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('email', 'phone', 'digits', 'text')),
    sort_order  INTEGER NOT NULL
);
INSERT INTO identifier_kinds (id, label, format, sort_order) VALUES
    ('email', 'Email address', 'email', 1),
    ('phone', 'Phone number', 'phone', 2),
    ('card_number', 'Loyalty card number', 'digits', 3),
    ('external_id', 'External id', 'text', 4);

CREATE TABLE customer_identifiers (
    customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL REFERENCES identifier_kinds(id),
    normalized   TEXT NOT NULL,
    value        TEXT NOT NULL,
    is_primary   INTEGER NOT NULL DEFAULT 0,
    added_at     INTEGER NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('console', 'ingest', 'import', 'migration')),
    PRIMARY KEY (customer_id, kind, normalized)
);
CREATE UNIQUE INDEX customer_identifiers_one_primary
    ON customer_identifiers (customer_id, kind) WHERE is_primary = 1;

CREATE TABLE identifier_owners (
    normalized   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    PRIMARY KEY (normalized, kind)
);

INSERT INTO customer_identifiers (customer_id, kind, normalized, value, is_primary, added_at, source)
    SELECT id, 'email', email, email, 1, created_at, 'migration' FROM customers WHERE email IS NOT NULL
    UNION ALL
    SELECT id, 'phone', phone, phone, 1, created_at, 'migration' FROM customers WHERE phone IS NOT NULL
    UNION ALL
    SELECT id, 'card_number', card_number, card_number, 1, created_at, 'migration' FROM customers WHERE card_number IS NOT NULL
    UNION ALL
    SELECT id, 'external_id', external_id, external_id, 1, created_at, 'migration' FROM customers WHERE external_id IS NOT NULL;
INSERT INTO identifier_owners (normalized, kind, customer_id)
    SELECT normalized, kind, customer_id FROM customer_identifiers;

CREATE TABLE customers_rebuilt (
    id                        TEXT PRIMARY KEY,
    first_name                TEXT,
    last_name                 TEXT,
    first_name_key            TEXT NOT NULL DEFAULT '',
    last_name_key             TEXT NOT NULL DEFAULT '',
    email                     TEXT,
    phone                     TEXT,
    card_number               TEXT,
    external_id               TEXT,
    date_of_birth             TEXT,
    address_line              TEXT,
    city                      TEXT,
    postal_code               TEXT,
    country                   TEXT,
    status_id                 TEXT NOT NULL REFERENCES status_types(id),
    is_test                   INTEGER NOT NULL DEFAULT 0,
    email_opt_in              INTEGER NOT NULL DEFAULT 0,
    sms_opt_in                INTEGER NOT NULL DEFAULT 0,
    push_opt_in               INTEGER NOT NULL DEFAULT 0,
    phone_verified            INTEGER NOT NULL DEFAULT 0,
    home_store_id             TEXT REFERENCES stores(id),
    points_balance            INTEGER NOT NULL DEFAULT 0,
    tier                      TEXT,
    tier_since                INTEGER,
    purchase_count            INTEGER NOT NULL DEFAULT 0,
    lifetime_spend_cents      INTEGER NOT NULL DEFAULT 0,
    last_active_at            INTEGER,
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL,
    version                   INTEGER NOT NULL DEFAULT 1,
    restricted_at             INTEGER,
    refused_while_restricted  INTEGER NOT NULL DEFAULT 0,
    tier_expires_at           INTEGER
);
INSERT INTO customers_rebuilt SELECT * FROM customers;
DROP TABLE customers;
ALTER TABLE customers_rebuilt RENAME TO customers;
-- The advanced search's email prefix and phone filter read the primary copies.
CREATE INDEX customers_by_email ON customers (email);
CREATE INDEX customers_by_phone ON customers (phone);
CREATE INDEX customers_by_last_first ON customers (last_name_key, first_name_key, id);
CREATE INDEX customers_by_first_last ON customers (first_name_key, last_name_key, id);
CREATE INDEX customers_by_birth ON customers (date_of_birth, first_name_key);
CREATE INDEX customers_by_phone_sort ON customers ((phone IS NULL), phone, id);
CREATE INDEX customers_by_email_sort ON customers ((email IS NULL), email, id);
CREATE INDEX customers_by_first_email ON customers (first_name_key, email, id);
CREATE INDEX customers_by_last_email ON customers (last_name_key, email, id);
CREATE INDEX customers_by_initial_email
    ON customers (substr(first_name_key, 1, 1), (email IS NULL), email, id, first_name_key);
CREATE INDEX customers_by_initial_phone
    ON customers (substr(first_name_key, 1, 1), (phone IS NULL), phone, id, first_name_key);
CREATE INDEX customers_by_first3_email
    ON customers (substr(first_name_key, 1, 3), (email IS NULL), email, id, first_name_key);

CREATE TABLE events_rebuilt (
    id               TEXT NOT NULL,
    customer_id      TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    client_event_id  TEXT,
    event_type       TEXT NOT NULL,
    source           TEXT NOT NULL,
    occurred_at      INTEGER NOT NULL,
    received_at      INTEGER NOT NULL,
    store_id         TEXT,
    amount_cents     INTEGER,
    points_delta     INTEGER,
    payload          TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (customer_id, id)
);
INSERT INTO events_rebuilt SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE INDEX events_by_customer_time ON events (customer_id, occurred_at DESC, id DESC);
CREATE UNIQUE INDEX events_by_client_id ON events (customer_id, client_event_id)
    WHERE client_event_id IS NOT NULL;
CREATE INDEX events_qualifying_points ON events (customer_id, occurred_at, points_delta)
    WHERE event_type IN ('points_earned', 'points_comped') AND points_delta > 0;

CREATE TABLE notes_rebuilt (
    id            TEXT NOT NULL,
    customer_id   TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    reason        TEXT,
    body          TEXT NOT NULL,
    author_email  TEXT NOT NULL,
    author_name   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    edited_at     INTEGER,
    edited_by     TEXT,
    PRIMARY KEY (customer_id, id)
);
INSERT INTO notes_rebuilt SELECT * FROM notes;
DROP TABLE notes;
ALTER TABLE notes_rebuilt RENAME TO notes;
CREATE INDEX notes_by_customer ON notes (customer_id, created_at DESC, id DESC);

CREATE TABLE customer_offers_rebuilt (
    id           TEXT NOT NULL,
    customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    offer_id     TEXT NOT NULL REFERENCES offer_catalog(id),
    issued_at    INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    redeemed_at  INTEGER,
    issued_by    TEXT NOT NULL,
    PRIMARY KEY (customer_id, id)
);
INSERT INTO customer_offers_rebuilt SELECT * FROM customer_offers;
DROP TABLE customer_offers;
ALTER TABLE customer_offers_rebuilt RENAME TO customer_offers;
CREATE INDEX customer_offers_by_customer ON customer_offers (customer_id, issued_at DESC);

CREATE TABLE support_tickets_rebuilt (
    id            TEXT NOT NULL,
    customer_id   TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    status        TEXT NOT NULL,
    ticket_type   TEXT,
    subject       TEXT NOT NULL,
    submitted_at  INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (customer_id, id)
);
INSERT INTO support_tickets_rebuilt SELECT * FROM support_tickets;
DROP TABLE support_tickets;
ALTER TABLE support_tickets_rebuilt RENAME TO support_tickets;
CREATE INDEX support_tickets_by_customer ON support_tickets (customer_id, submitted_at DESC);
