//! SQL for customer analytics: reading purchase history, keeping the refresh log, replacing
//! scores and association rules, and what one profile's widgets need.

use super::model::{Affinity, AnalyticsRun, ClvSettings, CustomerScore, Rfm, RunSummary};
use crate::store::{values_placeholders, Backend, Db};
use sqlx::{Any, FromRow, Transaction};

/// One purchase as the refresh reads it.
#[derive(Debug, FromRow)]
pub struct PurchaseRow {
    /// Buyer.
    pub customer_id: String,
    /// When.
    pub occurred_at: i64,
    /// Total, minor units.
    pub amount_cents: Option<i64>,
    /// Event payload JSON (items).
    pub payload: String,
}

/// Purchases in one currency (the organisation's: amounts of different currencies are never
/// added).
const ALL_PURCHASES: &str = "SELECT customer_id, occurred_at, amount_cents, payload FROM events \
     WHERE event_type = 'purchase' AND currency = $1";

/// Hands every purchase, in storage order (a sequential scan: no sort, no join), to `each`
/// in batches; the refresh groups them by customer itself. Reads through the dialect's own
/// driver on a connection of its own: at tens of millions of rows `sqlx::Any`'s per-value
/// copies cost more than the scan.
pub async fn each_purchase_batch(
    db: &Db,
    currency: &str,
    batch_size: usize,
    mut each: impl FnMut(Vec<PurchaseRow>) -> bool,
) -> Result<(), sqlx::Error> {
    use futures::TryStreamExt;
    use sqlx::Connection;
    let mut batch = Vec::with_capacity(batch_size);
    macro_rules! scan {
        ($connection:ty) => {{
            let mut connection = <$connection>::connect(db.url()).await?;
            let mut rows = sqlx::query_as::<_, PurchaseRow>(ALL_PURCHASES)
                .bind(currency)
                .fetch(&mut connection);
            while let Some(row) = rows.try_next().await? {
                batch.push(row);
                if batch.len() == batch_size
                    && !each(std::mem::replace(
                        &mut batch,
                        Vec::with_capacity(batch_size),
                    ))
                {
                    return Ok(());
                }
            }
        }};
    }
    match db.backend() {
        Backend::Sqlite => scan!(sqlx::SqliteConnection),
        Backend::Postgres => scan!(sqlx::PgConnection),
    }
    if !batch.is_empty() {
        each(batch);
    }
    Ok(())
}

/// Customers analytics must leave out: processing restricted, or test profiles.
pub async fn left_out_customers(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM customers WHERE restricted_at IS NOT NULL OR is_test <> 0")
        .fetch_all(db.pool())
        .await
}

/// (customers analytics may process, customers it must leave out).
pub async fn coverage_counts(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    let (analysable, left_out): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN restricted_at IS NULL AND is_test = 0 THEN 1 ELSE 0 END), 0), \
                COALESCE(SUM(CASE WHEN restricted_at IS NULL AND is_test = 0 THEN 0 ELSE 1 END), 0) \
         FROM customers",
    )
    .fetch_one(db.pool())
    .await?;
    Ok((analysable, left_out))
}

/// Records a refresh starting now; returns its id.
pub async fn start_run(
    db: &Db,
    trigger_kind: &str,
    requested_by: Option<&str>,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO analytics_runs (id, trigger_kind, requested_by, started_at, status) \
         VALUES ($1, $2, $3, $4, 'running')",
    )
    .bind(&id)
    .bind(trigger_kind)
    .bind(requested_by)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(id)
}

/// Marks refresh `id` failed with `error`.
pub async fn fail_run(db: &Db, id: &str, error: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE analytics_runs SET status = 'failed', error = $1, finished_at = $2 WHERE id = $3",
    )
    .bind(error)
    .bind(now)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Refreshes left `running` by a server that stopped are failed: nothing finishes them.
pub async fn fail_interrupted_runs(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE analytics_runs SET status = 'failed', finished_at = $1, \
         error = 'interrupted: the server stopped during the refresh' WHERE status = 'running'",
    )
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// One customer's row of scores for [`replace_results`].
#[derive(Debug, Clone)]
pub struct ScoreRow {
    /// Customer.
    pub customer_id: String,
    /// The scores.
    pub score: CustomerScore,
}

/// One association rule for [`replace_results`].
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRow {
    /// Bought product.
    pub antecedent: String,
    /// Product that tends to come with it.
    pub consequent: String,
    /// P(consequent in basket | antecedent in basket).
    pub confidence: f64,
    /// Confidence over the consequent's share of baskets.
    pub lift: f64,
    /// Baskets holding both.
    pub baskets: i64,
}

/// Replaces every stored score and rule with a refresh's results and marks it succeeded,
/// in one transaction: readers see the old results or the new, never a mix.
pub async fn replace_results(
    tx: &mut Transaction<'_, Any>,
    run_id: &str,
    fitted_at: i64,
    scores: &[ScoreRow],
    rules: &[RuleRow],
    summary: &RunSummary,
    left_out: i64,
) -> Result<(), sqlx::Error> {
    let backend = Backend::of(tx);
    sqlx::query("DELETE FROM customer_scores")
        .execute(&mut **tx)
        .await?;
    const SCORE_COLUMNS: usize = 9;
    for chunk in scores.chunks(500) {
        let sql = format!(
            "INSERT INTO customer_scores (customer_id, fitted_at, repeat_purchases, p_alive, \
             p_alive_rank, expected_purchases, expected_spend_cents, clv_cents, clv_rank) VALUES {}",
            values_placeholders(backend, chunk.len(), SCORE_COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for row in chunk {
            let s = &row.score;
            query = query
                .bind(row.customer_id.as_str())
                .bind(fitted_at)
                .bind(s.repeat_purchases)
                .bind(s.p_alive)
                .bind(s.p_alive_rank)
                .bind(s.expected_purchases)
                .bind(s.expected_spend_cents)
                .bind(s.clv_cents)
                .bind(s.clv_rank);
        }
        query.execute(&mut **tx).await?;
    }
    sqlx::query("DELETE FROM product_affinities")
        .execute(&mut **tx)
        .await?;
    for chunk in rules.chunks(500) {
        let sql = format!(
            "INSERT INTO product_affinities (antecedent, consequent, confidence, lift, baskets) \
             VALUES {}",
            values_placeholders(backend, chunk.len(), 5)
        );
        let mut query = sqlx::query(&sql);
        for rule in chunk {
            query = query
                .bind(rule.antecedent.as_str())
                .bind(rule.consequent.as_str())
                .bind(rule.confidence)
                .bind(rule.lift)
                .bind(rule.baskets);
        }
        query.execute(&mut **tx).await?;
    }
    let summary = serde_json::to_string(summary).unwrap_or_else(|_| "{}".into());
    sqlx::query(
        "UPDATE analytics_runs SET status = 'succeeded', finished_at = $1, customers_scored = $2, \
         customers_left_out = $3, summary = $4 WHERE id = $5",
    )
    .bind(crate::time::now_millis())
    .bind(scores.len() as i64)
    .bind(left_out)
    .bind(summary)
    .bind(run_id)
    .execute(&mut **tx)
    .await?;
    crate::store::org_cache::written();
    Ok(())
}

#[derive(FromRow)]
struct RunRow {
    id: String,
    trigger_kind: String,
    requested_by: Option<String>,
    started_at: i64,
    finished_at: Option<i64>,
    status: String,
    customers_scored: i64,
    customers_left_out: i64,
    summary: String,
    error: Option<String>,
}

impl From<RunRow> for AnalyticsRun {
    fn from(row: RunRow) -> Self {
        AnalyticsRun {
            summary: (row.status == "succeeded")
                .then(|| serde_json::from_str(&row.summary).ok())
                .flatten(),
            id: row.id,
            trigger_kind: row.trigger_kind,
            requested_by: row.requested_by,
            started_at: row.started_at,
            finished_at: row.finished_at,
            status: row.status,
            customers_scored: row.customers_scored,
            customers_left_out: row.customers_left_out,
            error: row.error,
        }
    }
}

const RUN_COLUMNS: &str = "id, trigger_kind, requested_by, started_at, finished_at, status, \
    customers_scored, customers_left_out, summary, error";

/// The `limit` most recent refreshes, newest first.
pub async fn recent_runs(db: &Db, limit: i64) -> Result<Vec<AnalyticsRun>, sqlx::Error> {
    let rows: Vec<RunRow> = sqlx::query_as(&format!(
        "SELECT {RUN_COLUMNS} FROM analytics_runs ORDER BY started_at DESC, id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(AnalyticsRun::from).collect())
}

/// The last refresh that succeeded, as profiles show it: from the organisation cache (a refresh
/// that succeeds marks it out of date).
pub async fn last_success_cached(db: &Db) -> Result<Option<AnalyticsRun>, sqlx::Error> {
    struct LastSuccess(Option<AnalyticsRun>);
    let last = db
        .org_cache()
        .get(|| async { last_success(db).await.map(LastSuccess) })
        .await?;
    Ok(last.0.clone())
}

/// The last refresh that succeeded.
pub async fn last_success(db: &Db) -> Result<Option<AnalyticsRun>, sqlx::Error> {
    let row: Option<RunRow> = sqlx::query_as(&format!(
        "SELECT {RUN_COLUMNS} FROM analytics_runs WHERE status = 'succeeded' \
         ORDER BY started_at DESC, id DESC LIMIT 1"
    ))
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(AnalyticsRun::from))
}

/// A customer's flags beside their stored scores (all `None` before the first refresh
/// scored them).
#[derive(FromRow)]
struct FlagsAndScore {
    restricted_at: Option<i64>,
    is_test: i64,
    fitted_at: Option<i64>,
    repeat_purchases: Option<i64>,
    p_alive: Option<f64>,
    p_alive_rank: Option<f64>,
    expected_purchases: Option<f64>,
    expected_spend_cents: Option<i64>,
    clv_cents: Option<i64>,
    clv_rank: Option<f64>,
}

/// Customer `id`'s flags and stored scores, in one read (the analytics panel's round trips
/// add up on every profile page): ((restricted, test profile), the scores and when they were
/// computed); `None` when there is no such customer. Both tables are distributed by customer.
pub async fn customer_flags_and_score(
    db: &Db,
    id: &str,
) -> Result<Option<FlagsAndStoredScore>, sqlx::Error> {
    let row: Option<FlagsAndScore> = sqlx::query_as(
        "SELECT c.restricted_at, c.is_test, s.fitted_at, s.repeat_purchases, s.p_alive, \
         s.p_alive_rank, s.expected_purchases, s.expected_spend_cents, s.clv_cents, s.clv_rank \
         FROM customers c LEFT JOIN customer_scores s ON s.customer_id = c.id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| {
        let score = r.fitted_at.map(|fitted_at| {
            let score = CustomerScore {
                repeat_purchases: r.repeat_purchases.unwrap_or_default(),
                p_alive: r.p_alive.unwrap_or_default(),
                p_alive_rank: r.p_alive_rank.unwrap_or_default(),
                expected_purchases: r.expected_purchases.unwrap_or_default(),
                expected_spend_cents: r.expected_spend_cents.unwrap_or_default(),
                clv_cents: r.clv_cents.unwrap_or_default(),
                clv_rank: r.clv_rank.unwrap_or_default(),
            };
            (fitted_at, score)
        });
        ((r.restricted_at.is_some(), r.is_test != 0), score)
    }))
}

/// What [`customer_flags_and_score`] reads of a customer.
pub type FlagsAndStoredScore = ((bool, bool), Option<(i64, CustomerScore)>);

/// Customer `id`'s RFM over purchases in `currency` in each of the three windows starting at
/// `since` (all time for `None`) and ending at `now`, read in one pass over their purchases.
pub async fn customer_rfm(
    db: &Db,
    id: &str,
    currency: &str,
    since: [Option<i64>; 3],
    now: i64,
) -> Result<[Rfm; 3], sqlx::Error> {
    type Counts = (
        i64,
        Option<i64>,
        i64,
        Option<i64>,
        i64,
        Option<i64>,
        Option<i64>,
    );
    let [week, month, lifetime] = since.map(|s| s.unwrap_or(i64::MIN));
    let row: Counts = sqlx::query_as(
        "SELECT COUNT(CASE WHEN occurred_at >= $1 THEN 1 END), \
         CAST(SUM(CASE WHEN occurred_at >= $1 THEN amount_cents END) AS BIGINT), \
         COUNT(CASE WHEN occurred_at >= $2 THEN 1 END), \
         CAST(SUM(CASE WHEN occurred_at >= $2 THEN amount_cents END) AS BIGINT), \
         COUNT(*), CAST(SUM(amount_cents) AS BIGINT), MAX(occurred_at) FROM events \
         WHERE customer_id = $3 AND event_type = 'purchase' AND occurred_at >= $4 \
         AND occurred_at <= $5 AND currency = $6",
    )
    .bind(week)
    .bind(month)
    .bind(id)
    .bind(lifetime)
    .bind(now)
    .bind(currency)
    .fetch_one(db.pool())
    .await?;
    let (week_count, week_spend, month_count, month_spend, count, spend, last) = row;
    let rfm = |count: i64, spend: Option<i64>, since: i64| Rfm {
        recency_days: last
            .filter(|t| *t >= since)
            .map(|t| (now - t) as f64 / 86_400_000.0),
        frequency: count as f64,
        monetary_cents: spend.unwrap_or(0) as f64,
    };
    Ok([
        rfm(week_count, week_spend, week),
        rfm(month_count, month_spend, month),
        rfm(count, spend, lifetime),
    ])
}

/// Payloads of customer `id`'s `limit` latest purchases.
pub async fn customer_baskets(db: &Db, id: &str, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT payload FROM events WHERE customer_id = $1 AND event_type = 'purchase' \
         ORDER BY occurred_at DESC, id DESC LIMIT $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

#[derive(FromRow)]
struct AffinityRow {
    antecedent: String,
    consequent: String,
    confidence: f64,
    lift: f64,
    name: Option<String>,
    because_name: Option<String>,
}

/// The stored rules whose antecedent is one of `skus`, strongest first, with product names.
pub async fn rules_from(db: &Db, skus: &[String]) -> Result<Vec<(String, Affinity)>, sqlx::Error> {
    if skus.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT a.antecedent, a.consequent, a.confidence, a.lift, p.name, q.name AS because_name \
         FROM product_affinities a LEFT JOIN products p ON p.id = a.consequent \
         LEFT JOIN products q ON q.id = a.antecedent \
         WHERE a.antecedent IN ({}) ORDER BY a.confidence DESC, a.lift DESC",
        crate::store::list_placeholders(db.backend(), 1, skus.len())
    );
    let mut query = sqlx::query_as::<_, AffinityRow>(&sql);
    for sku in skus {
        query = query.bind(sku.as_str());
    }
    let rows = query.fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.antecedent.clone(),
                Affinity {
                    name: r.name.unwrap_or_else(|| r.consequent.clone()),
                    sku: r.consequent,
                    probability: r.confidence,
                    lift: r.lift,
                    because: r.because_name.unwrap_or(r.antecedent),
                },
            )
        })
        .collect())
}

const SETTING_KEYS: [&str; 3] = [
    "analytics.clv_horizon_months",
    "analytics.monthly_discount",
    "analytics.refresh_hours",
];

/// The valuation and schedule settings (defaults where unset).
pub async fn clv_settings(db: &Db) -> Result<ClvSettings, sqlx::Error> {
    let all = crate::settings::db::all(db).await?;
    let defaults = ClvSettings::default();
    let value = |key: &str| all.get(key).unwrap_or_default();
    Ok(ClvSettings {
        horizon_months: value(SETTING_KEYS[0])
            .parse()
            .unwrap_or(defaults.horizon_months),
        monthly_discount: value(SETTING_KEYS[1])
            .parse()
            .unwrap_or(defaults.monthly_discount),
        refresh_hours: value(SETTING_KEYS[2])
            .parse()
            .unwrap_or(defaults.refresh_hours),
    })
}

/// Stores the valuation and schedule settings.
pub async fn save_clv_settings(
    tx: &mut Transaction<'_, Any>,
    settings: &ClvSettings,
) -> Result<(), sqlx::Error> {
    let values = [
        settings.horizon_months.to_string(),
        settings.monthly_discount.to_string(),
        settings.refresh_hours.to_string(),
    ];
    for (key, value) in SETTING_KEYS.iter().zip(values) {
        crate::settings::db::set_setting(&mut **tx, key, &value).await?;
    }
    Ok(())
}
