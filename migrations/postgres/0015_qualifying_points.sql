-- The points that qualify for tiers (earned or comped, positive) by customer and time: the
-- tier rules sum them for every customer whose points move in an ingested batch, and a partial
-- index holds only those events, so the sum reads the index alone.

CREATE INDEX events_qualifying_points ON events (customer_id, occurred_at, points_delta)
    WHERE event_type IN ('points_earned', 'points_comped') AND points_delta > 0;
