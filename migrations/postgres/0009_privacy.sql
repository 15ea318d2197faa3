-- Data-privacy requests (export, restrict, reinstate, forget). No foreign key to customers:
-- when a customer is forgotten, their requests stay as tombstones with customer_id NULL.
-- Events refused while a customer is restricted are counted on the customer.

CREATE TABLE privacy_requests (
    id                 TEXT PRIMARY KEY,
    customer_id        TEXT,
    request_type       TEXT NOT NULL,
    status             TEXT NOT NULL,
    reason             TEXT,
    detail             TEXT,
    executed_by        TEXT NOT NULL,
    executed_by_email  TEXT NOT NULL,
    requested_at       BIGINT NOT NULL
);

CREATE INDEX privacy_requests_by_customer ON privacy_requests (customer_id, requested_at);
CREATE INDEX privacy_requests_by_time ON privacy_requests (requested_at, id);

ALTER TABLE customers ADD COLUMN refused_while_restricted BIGINT NOT NULL DEFAULT 0;
