-- Offers: the programme's catalogue, and the offers each customer holds (issued by an agent
-- or a campaign; redeemed or expired).

CREATE TABLE offer_catalog (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    valid_days   INTEGER NOT NULL
);

INSERT INTO offer_catalog (id, name, description, valid_days) VALUES
    ('free-pastry',   'Free pastry',         'Any pastry with a hot drink',         30),
    ('double-points', 'Double points week',  'Twice the points on every purchase',   7),
    ('free-drink',    'Free drink',          'Any handcrafted drink, any size',      14),
    ('ten-off',       '10% off beans',       '10% off any bag of coffee beans',      30);

CREATE TABLE customer_offers (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    offer_id     TEXT NOT NULL REFERENCES offer_catalog(id),
    issued_at    INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    redeemed_at  INTEGER,
    issued_by    TEXT NOT NULL
);

CREATE INDEX customer_offers_by_customer ON customer_offers (customer_id, issued_at DESC);
