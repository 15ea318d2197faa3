-- Customer analytics: each refresh of the models, the scores it gave each customer and the
-- product association rules it mined. Refreshed wholesale by the analytics job.

CREATE TABLE analytics_runs (
    id                 TEXT PRIMARY KEY,
    trigger_kind       TEXT NOT NULL,
    requested_by       TEXT,
    started_at         INTEGER NOT NULL,
    finished_at        INTEGER,
    status             TEXT NOT NULL,
    customers_scored   INTEGER NOT NULL DEFAULT 0,
    customers_left_out INTEGER NOT NULL DEFAULT 0,
    summary            TEXT NOT NULL DEFAULT '{}',
    error              TEXT
);

CREATE INDEX analytics_runs_by_time ON analytics_runs (started_at DESC);

CREATE TABLE customer_scores (
    customer_id         TEXT PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    fitted_at           INTEGER NOT NULL,
    repeat_purchases    INTEGER NOT NULL,
    p_alive             REAL NOT NULL,
    p_alive_rank        REAL NOT NULL,
    expected_purchases  REAL NOT NULL,
    expected_spend_cents INTEGER NOT NULL,
    clv_cents           INTEGER NOT NULL,
    clv_rank            REAL NOT NULL
);

CREATE TABLE product_affinities (
    antecedent  TEXT NOT NULL,
    consequent  TEXT NOT NULL,
    confidence  REAL NOT NULL,
    lift        REAL NOT NULL,
    baskets     INTEGER NOT NULL,
    PRIMARY KEY (antecedent, consequent)
);
