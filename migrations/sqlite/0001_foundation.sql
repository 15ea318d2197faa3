-- Foundation schema: customers and their identifiers, profile attributes, statuses, stores,
-- products and the event stream. Timestamps are UTC epoch milliseconds; ids are UUID text;
-- JSON is text. Every per-customer table carries customer_id.

CREATE TABLE status_types (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    colour      TEXT NOT NULL,
    sort_order  INTEGER NOT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0
);

INSERT INTO status_types (id, name, colour, sort_order, is_default) VALUES
    ('active',    'Active',    '#1f7a3a', 1, 1),
    ('vip',       'VIP',       '#6b3fa0', 2, 0),
    ('watch',     'Watch',     '#a15c00', 3, 0),
    ('suspended', 'Suspended', '#b3261e', 4, 0),
    ('closed',    'Closed',    '#555555', 5, 0);

CREATE TABLE stores (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    address      TEXT NOT NULL,
    city         TEXT NOT NULL,
    postal_code  TEXT NOT NULL,
    country      TEXT NOT NULL,
    latitude     REAL NOT NULL,
    longitude    REAL NOT NULL,
    phone        TEXT NOT NULL,
    hours        TEXT NOT NULL,
    franchised   INTEGER NOT NULL DEFAULT 0,
    open_24h     INTEGER NOT NULL DEFAULT 0,
    promotions   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE products (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    category     TEXT NOT NULL,
    price_cents  INTEGER NOT NULL
);

CREATE TABLE customers (
    id                    TEXT PRIMARY KEY,
    first_name            TEXT,
    last_name             TEXT,
    first_name_key        TEXT NOT NULL DEFAULT '',
    last_name_key         TEXT NOT NULL DEFAULT '',
    email                 TEXT UNIQUE,
    phone                 TEXT UNIQUE,
    card_number           TEXT UNIQUE,
    external_id           TEXT UNIQUE,
    date_of_birth         TEXT,
    address_line          TEXT,
    city                  TEXT,
    postal_code           TEXT,
    country               TEXT,
    status_id             TEXT NOT NULL REFERENCES status_types(id),
    is_test               INTEGER NOT NULL DEFAULT 0,
    email_opt_in          INTEGER NOT NULL DEFAULT 0,
    sms_opt_in            INTEGER NOT NULL DEFAULT 0,
    push_opt_in           INTEGER NOT NULL DEFAULT 0,
    phone_verified        INTEGER NOT NULL DEFAULT 0,
    home_store_id         TEXT REFERENCES stores(id),
    points_balance        INTEGER NOT NULL DEFAULT 0,
    tier                  TEXT,
    tier_since            INTEGER,
    purchase_count        INTEGER NOT NULL DEFAULT 0,
    lifetime_spend_cents  INTEGER NOT NULL DEFAULT 0,
    last_active_at        INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX customers_by_last_first ON customers (last_name_key, first_name_key, id);
CREATE INDEX customers_by_first_last ON customers (first_name_key, last_name_key, id);
CREATE INDEX customers_by_birth ON customers (date_of_birth, first_name_key);

CREATE TABLE customer_attributes (
    customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (customer_id, key)
);

CREATE TABLE events (
    id               TEXT PRIMARY KEY,
    customer_id      TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    client_event_id  TEXT,
    event_type       TEXT NOT NULL,
    source           TEXT NOT NULL,
    occurred_at      INTEGER NOT NULL,
    received_at      INTEGER NOT NULL,
    store_id         TEXT,
    amount_cents     INTEGER,
    points_delta     INTEGER,
    payload          TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX events_by_customer_time ON events (customer_id, occurred_at DESC, id DESC);
CREATE UNIQUE INDEX events_by_client_id ON events (customer_id, client_event_id)
    WHERE client_event_id IS NOT NULL;
