-- Campaigns of the programme. Progress arrives as `campaign_progress` events naming the
-- campaign; a customer is eligible for a running campaign of their audience they have not
-- started.

CREATE TABLE campaigns (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    description  TEXT NOT NULL,
    goal         INTEGER NOT NULL,
    unit         TEXT NOT NULL,
    starts_at    INTEGER,
    ends_at      INTEGER,
    audience     TEXT
);

INSERT INTO campaigns (id, name, description, goal, unit, starts_at, ends_at, audience) VALUES
    ('visit-3-march', 'Visit 3 times in March', 'Three visits in March earn a free drink.', 3, 'visits', 1772323200000, 1775001599000, NULL),
    ('try-5-drinks', 'Try 5 new drinks', 'Five drinks you have not had before earn 100 points.', 5, 'drinks', NULL, NULL, NULL),
    ('gold-breakfast', 'Gold breakfast club', 'Gold members: four breakfasts before 10:00 earn a free porridge.', 4, 'breakfasts', NULL, NULL, 'Gold');
