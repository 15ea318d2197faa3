-- Promo codes the programme runs and the limits on claiming them. Claims and failed claims
-- arrive as events; a customer's lockout is worked out from their failed claims, and an agent's
-- reset is a `promo_lockout_reset` event.

CREATE TABLE promo_codes (
    code              TEXT PRIMARY KEY,
    description       TEXT NOT NULL,
    one_time          BIGINT NOT NULL DEFAULT 0,
    per_customer_cap  BIGINT,
    per_day_cap       BIGINT,
    valid_from        BIGINT,
    valid_until       BIGINT,
    claim_hours       TEXT
);

INSERT INTO promo_codes (code, description, one_time, per_customer_cap, per_day_cap, valid_from, valid_until, claim_hours) VALUES
    ('WELCOME10', '10% off the first order',              1, 1,    NULL, NULL,          NULL,          NULL),
    ('SPRING24',  'Free pastry with a drink, spring 2024', 0, 3,    1,    1709251200000, 1717199999000, NULL),
    ('BDAYTREAT', 'Birthday treat',                        0, NULL, 1,    NULL,          NULL,          NULL),
    ('FREESHIP',  'Free delivery on coffee beans',         0, 5,    1,    NULL,          NULL,          '07:00-11:00');
