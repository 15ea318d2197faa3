-- Tier rules: the levels with their thresholds and benefits, and when a customer's tier
-- expires. Qualifying points are those earned or comped within the qualification window
-- (settings `tiers.window_days`); a tier lasts `tiers.validity_days` from entry or renewal.

CREATE TABLE tier_levels (
    name              TEXT PRIMARY KEY,
    rank              INTEGER NOT NULL UNIQUE,
    threshold_points  INTEGER NOT NULL,
    benefits          TEXT NOT NULL
);

INSERT INTO tier_levels (name, rank, threshold_points, benefits) VALUES
    ('Bronze', 0, 0,    '1 point per £1 spent'),
    ('Silver', 1, 500,  '1.25 points per £1; a free drink on your birthday'),
    ('Gold',   2, 2000, '1.5 points per £1; a free drink every month; priority support');

ALTER TABLE customers ADD COLUMN tier_expires_at INTEGER;
