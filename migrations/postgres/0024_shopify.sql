-- The Shopify adapter: each order webhook delivery by its X-Shopify-Webhook-Id (a delivery seen
-- before is a replay: answered 200, no effect), what it did, and for which customer and order
-- (a refund finds its order's customer here). The detail never holds the order's personal
-- data; a forget clears customer_id and the row stays, so that a replay of a forgotten
-- customer's order still has no effect. The settings (shared secret, unknown customers, points
-- per unit spent) are rows of `settings`.
CREATE TABLE shopify_deliveries (
    webhook_id   TEXT PRIMARY KEY,
    topic        TEXT NOT NULL,
    shop_domain  TEXT NOT NULL DEFAULT '',
    received_at  BIGINT NOT NULL,
    outcome      TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    customer_id  TEXT,
    order_id     TEXT,
    replays      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX shopify_deliveries_by_time ON shopify_deliveries (received_at);
CREATE INDEX shopify_deliveries_by_customer ON shopify_deliveries (customer_id);
CREATE INDEX shopify_deliveries_by_order ON shopify_deliveries (order_id);
