-- The customers each platform user opened last, for "Recently viewed" on the search page. A
-- forgotten customer's or a removed user's rows go with them; each user keeps ten.
CREATE TABLE recent_views (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    viewed_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, customer_id)
);
CREATE INDEX recent_views_by_customer ON recent_views (customer_id);
