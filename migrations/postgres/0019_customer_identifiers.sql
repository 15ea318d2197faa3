-- A customer's identifiers in their own table, many per customer, one primary per kind; a
-- (kind, normalised value) belongs to at most one customer, kept by `identifier_owners`, whose
-- key is the value alone (on Citus it is distributed by the value, so finding a customer by an
-- identifier reads one shard). `customers` keeps its own id as its only unique key: its email,
-- phone, card_number and external_id become copies of the primary identifier of each kind,
-- for lists and sorting. Every per-customer table's primary key now starts with customer_id,
-- the rule a Citus cluster enforces for tables distributed by customer.

CREATE TABLE identifier_kinds (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('email', 'phone', 'digits', 'text')),
    sort_order  BIGINT NOT NULL
);
INSERT INTO identifier_kinds (id, label, format, sort_order) VALUES
    ('email', 'Email address', 'email', 1),
    ('phone', 'Phone number', 'phone', 2),
    ('card_number', 'Loyalty card number', 'digits', 3),
    ('external_id', 'External id', 'text', 4);

CREATE TABLE customer_identifiers (
    customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL REFERENCES identifier_kinds(id),
    normalized   TEXT COLLATE "C" NOT NULL,
    value        TEXT NOT NULL,
    is_primary   BIGINT NOT NULL DEFAULT 0,
    added_at     BIGINT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('console', 'ingest', 'import', 'migration')),
    PRIMARY KEY (customer_id, kind, normalized)
);
CREATE UNIQUE INDEX customer_identifiers_one_primary
    ON customer_identifiers (customer_id, kind) WHERE is_primary = 1;

CREATE TABLE identifier_owners (
    normalized   TEXT COLLATE "C" NOT NULL,
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

-- The advanced search's email prefix and phone filter read the primary copies.
ALTER TABLE customers DROP CONSTRAINT IF EXISTS customers_email_key;
ALTER TABLE customers DROP CONSTRAINT IF EXISTS customers_phone_key;
ALTER TABLE customers DROP CONSTRAINT IF EXISTS customers_card_number_key;
ALTER TABLE customers DROP CONSTRAINT IF EXISTS customers_external_id_key;
CREATE INDEX customers_by_email ON customers (email);
CREATE INDEX customers_by_phone ON customers (phone);

ALTER TABLE events DROP CONSTRAINT events_pkey, ADD PRIMARY KEY (customer_id, id);
ALTER TABLE notes DROP CONSTRAINT notes_pkey, ADD PRIMARY KEY (customer_id, id);
ALTER TABLE customer_offers DROP CONSTRAINT customer_offers_pkey, ADD PRIMARY KEY (customer_id, id);
ALTER TABLE support_tickets DROP CONSTRAINT support_tickets_pkey, ADD PRIMARY KEY (customer_id, id);
