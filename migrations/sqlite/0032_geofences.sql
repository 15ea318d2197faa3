-- Geofences: circles an admin draws under Admin → Locations (a centre, a radius in metres,
-- optionally the store they belong to). Mobile apps fetch the active ones and send
-- geofence_entered / geofence_exited events naming them; the customer's Locations tab shows
-- the ones they were last seen in. `name_key` is the name lower-cased: names are unique.
CREATE TABLE geofences (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,
    latitude    REAL NOT NULL,
    longitude   REAL NOT NULL,
    radius_m    BIGINT NOT NULL,
    store_id    TEXT REFERENCES stores (id),
    active      BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
