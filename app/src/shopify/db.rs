//! SQL of the Shopify adapter: its settings (rows of `settings`), the delivery log with its
//! replay check, and what the console holds about an order.

use super::model::{Delivery, ShopifySettings, UnknownCustomers};
use crate::settings::db::set_setting;
use crate::store::Db;
use sqlx::{Any, Executor, FromRow};

const SECRET: &str = "shopify.secret";
const UNKNOWN_CUSTOMERS: &str = "shopify.unknown_customers";
const POINTS_PER_UNIT: &str = "shopify.points_per_unit";
const LAST_BAD_SIGNATURE: &str = "shopify.last_bad_signature_at";

/// Deliveries are kept this long (Shopify retries for 48 hours), ms.
const KEEP_DELIVERIES_MS: i64 = 30 * 24 * 3_600_000;

/// The signing secret (when one is set) and the settings as the screen shows them, in one
/// read: every delivery needs both.
pub async fn settings(db: &Db) -> Result<(Option<String>, ShopifySettings), sqlx::Error> {
    let all = crate::settings::db::all(db).await?;
    let value = |key: &str| all.get(key);
    let secret = value(SECRET).filter(|s| !s.is_empty()).map(str::to_string);
    let settings = ShopifySettings {
        secret_hint: secret.as_deref().map(|s| {
            let skip = s.chars().count().saturating_sub(4);
            s.chars().skip(skip).collect()
        }),
        unknown_customers: UnknownCustomers::parse(value(UNKNOWN_CUSTOMERS).unwrap_or_default()),
        points_per_unit: value(POINTS_PER_UNIT)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0),
        last_bad_signature_at: value(LAST_BAD_SIGNATURE).and_then(|at| at.parse().ok()),
    };
    Ok((secret, settings))
}

/// Stores the settings (the secret only when a new one is given).
pub async fn save_settings(
    tx: &mut crate::change::Tx,
    secret: Option<&str>,
    unknown_customers: UnknownCustomers,
    points_per_unit: i64,
) -> Result<(), sqlx::Error> {
    if let Some(secret) = secret {
        set_setting(&mut **tx, SECRET, secret).await?;
        // A new secret: the old wrong-signature warning no longer applies.
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(LAST_BAD_SIGNATURE)
            .execute(&mut **tx)
            .await?;
    }
    set_setting(&mut **tx, UNKNOWN_CUSTOMERS, unknown_customers.as_str()).await?;
    set_setting(&mut **tx, POINTS_PER_UNIT, &points_per_unit.to_string()).await
}

/// Notes a delivery refused for its signature, at most once a minute (so that a flood of
/// forged requests writes almost nothing).
pub async fn note_bad_signature(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE \
         SET value = excluded.value WHERE CAST(settings.value AS BIGINT) < $3",
    )
    .bind(LAST_BAD_SIGNATURE)
    .bind(now.to_string())
    .bind(now - 60_000)
    .execute(db.pool())
    .await?;
    crate::store::org_cache::written();
    Ok(())
}

/// Takes delivery `webhook_id` for processing: `true` when it is new — or when an earlier
/// attempt failed, or stopped mid-way more than five minutes ago, so Shopify's retry runs
/// it; `false` for a replay (or the same delivery being processed right now). One statement,
/// so two copies arriving together cannot both run.
pub async fn claim(
    db: &Db,
    webhook_id: &str,
    topic: &str,
    shop_domain: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    if now % 100 == 0 {
        sqlx::query("DELETE FROM shopify_deliveries WHERE received_at < $1")
            .bind(now - KEEP_DELIVERIES_MS)
            .execute(db.pool())
            .await?;
    }
    let done = sqlx::query(
        "INSERT INTO shopify_deliveries (webhook_id, topic, shop_domain, received_at, outcome) \
         VALUES ($1, $2, $3, $4, 'processing') ON CONFLICT (webhook_id) DO UPDATE \
         SET outcome = 'processing', received_at = excluded.received_at \
         WHERE shopify_deliveries.outcome = 'failed' \
            OR (shopify_deliveries.outcome = 'processing' AND shopify_deliveries.received_at < $5)",
    )
    .bind(webhook_id)
    .bind(topic)
    .bind(shop_domain)
    .bind(now)
    .bind(now - 300_000)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Counts a replay of `webhook_id`.
pub async fn count_replay(db: &Db, webhook_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE shopify_deliveries SET replays = replays + 1 WHERE webhook_id = $1")
        .bind(webhook_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Records what delivery `webhook_id` did: its outcome (`recorded`, `already recorded`,
/// `ignored`, `refused` or `failed`), in words without personal data, and the customer and
/// order it was about.
pub async fn finish(
    db: &Db,
    webhook_id: &str,
    outcome: &str,
    detail: &str,
    customer_id: Option<&str>,
    order_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE shopify_deliveries SET outcome = $1, detail = $2, customer_id = $3, order_id = $4 \
         WHERE webhook_id = $5",
    )
    .bind(outcome)
    .bind(detail)
    .bind(customer_id)
    .bind(order_id)
    .bind(webhook_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct DeliveryRow {
    webhook_id: String,
    topic: String,
    shop_domain: String,
    received_at: i64,
    outcome: String,
    detail: String,
    customer_id: Option<String>,
    replays: i64,
}

/// The last `limit` deliveries, newest first.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<Delivery>, sqlx::Error> {
    let rows: Vec<DeliveryRow> = sqlx::query_as(
        "SELECT webhook_id, topic, shop_domain, received_at, outcome, detail, customer_id, \
         replays FROM shopify_deliveries ORDER BY received_at DESC, webhook_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Delivery {
            webhook_id: r.webhook_id,
            topic: r.topic,
            shop_domain: r.shop_domain,
            received_at: r.received_at,
            outcome: r.outcome,
            detail: r.detail,
            customer_id: r.customer_id,
            replays: r.replays,
        })
        .collect())
}

/// The customer order `order_id` was recorded for, if it was.
pub async fn order_customer(db: &Db, order_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT customer_id FROM shopify_deliveries WHERE order_id = $1 \
         AND customer_id IS NOT NULL AND outcome IN ('recorded', 'already recorded') \
         ORDER BY received_at LIMIT 1",
    )
    .bind(order_id)
    .fetch_optional(db.pool())
    .await
}

/// What the console holds of an order: its purchase (amount, currency) and the points it
/// earned, looked up by their event ids.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OrderHeld {
    /// The purchase's amount (minor units) and currency: the shop's money.
    pub purchase: Option<(i64, String)>,
    /// What the buyer paid in their own currency (Shopify Markets), when that differs:
    /// (minor units, currency). Their ratio is the order's own exchange rate.
    pub presentment: Option<(i64, String)>,
    /// The points the order earned.
    pub points: i64,
}

/// What customer `customer_id` holds of the order whose events are `purchase_id` and
/// `points_id`.
pub async fn order_held<'e, E>(
    executor: E,
    customer_id: &str,
    purchase_id: &str,
    points_id: &str,
) -> Result<OrderHeld, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let rows: Vec<(String, Option<i64>, Option<i64>, String)> = sqlx::query_as(
        "SELECT event_type, amount_cents, points_delta, payload FROM events \
         WHERE customer_id = $1 AND client_event_id IN ($2, $3)",
    )
    .bind(customer_id)
    .bind(purchase_id)
    .bind(points_id)
    .fetch_all(executor)
    .await?;
    let mut held = OrderHeld::default();
    for (event_type, amount, points, payload) in rows {
        match event_type.as_str() {
            "purchase" => {
                let payload: serde_json::Value = serde_json::from_str(&payload).unwrap_or_default();
                let currency = payload["currency"].as_str().unwrap_or_default().to_string();
                held.purchase = Some((amount.unwrap_or(0), currency));
                held.presentment = payload["presentment_amount_cents"]
                    .as_i64()
                    .zip(payload["presentment_currency"].as_str())
                    .map(|(amount, code)| (amount, code.to_string()));
            }
            _ => held.points = points.unwrap_or(0).max(0),
        }
    }
    Ok(held)
}

/// What the refunds recorded for order `order_id` of customer `customer_id` took, other than
/// the one stored under `except_event_id` (a refund delivered again): (minor units refunded,
/// points taken back).
pub async fn order_refunded(
    db: &Db,
    customer_id: &str,
    order_id: &str,
    except_event_id: &str,
) -> Result<(i64, i64), sqlx::Error> {
    let rows: Vec<(Option<i64>, Option<i64>, String)> = sqlx::query_as(
        "SELECT amount_cents, points_delta, payload FROM events \
         WHERE customer_id = $1 AND event_type = 'refund' AND client_event_id <> $2",
    )
    .bind(customer_id)
    .bind(except_event_id)
    .fetch_all(db.pool())
    .await?;
    let mut taken = (0, 0);
    for (amount, points, payload) in rows {
        let payload: serde_json::Value = serde_json::from_str(&payload).unwrap_or_default();
        if payload["order_id"].as_str() == Some(order_id) {
            taken.0 += amount.unwrap_or(0);
            taken.1 += points.unwrap_or(0).abs();
        }
    }
    Ok(taken)
}
