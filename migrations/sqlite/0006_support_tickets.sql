-- Support tickets from Zendesk, cached per customer, and when each customer was last synced.

CREATE TABLE support_tickets (
    id            TEXT PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    status        TEXT NOT NULL,
    ticket_type   TEXT,
    subject       TEXT NOT NULL,
    submitted_at  INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE INDEX support_tickets_by_customer ON support_tickets (customer_id, submitted_at DESC);

CREATE TABLE support_sync (
    customer_id  TEXT PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    synced_at    INTEGER NOT NULL
);
