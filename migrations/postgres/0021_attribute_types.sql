-- Custom profile attributes: each one an admin declares (its name as the ingest API sends it,
-- the label agents read, and its type), and a customer's values found by exact value.
CREATE TABLE attribute_types (
    name        TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'boolean', 'url')),
    created_at  BIGINT NOT NULL
);
CREATE INDEX customer_attributes_by_value ON customer_attributes (key, value);
