-- Customer analytics: each refresh of the models, the scores it gave each customer and the
-- product association rules it mined. Refreshed wholesale by the analytics job.

CREATE TABLE analytics_runs (
    id                 TEXT PRIMARY KEY,
    trigger_kind       TEXT NOT NULL,
    requested_by       TEXT,
    started_at         BIGINT NOT NULL,
    finished_at        BIGINT,
    status             TEXT NOT NULL,
    customers_scored   BIGINT NOT NULL DEFAULT 0,
    customers_left_out BIGINT NOT NULL DEFAULT 0,
    summary            TEXT NOT NULL DEFAULT '{}',
    error              TEXT
);

CREATE INDEX analytics_runs_by_time ON analytics_runs (started_at DESC);

CREATE TABLE customer_scores (
    customer_id         TEXT PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    fitted_at           BIGINT NOT NULL,
    repeat_purchases    BIGINT NOT NULL,
    p_alive             DOUBLE PRECISION NOT NULL,
    p_alive_rank        DOUBLE PRECISION NOT NULL,
    expected_purchases  DOUBLE PRECISION NOT NULL,
    expected_spend_cents BIGINT NOT NULL,
    clv_cents           BIGINT NOT NULL,
    clv_rank            DOUBLE PRECISION NOT NULL
);

CREATE TABLE product_affinities (
    antecedent  TEXT NOT NULL,
    consequent  TEXT NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL,
    lift        DOUBLE PRECISION NOT NULL,
    baskets     BIGINT NOT NULL,
    PRIMARY KEY (antecedent, consequent)
);
