//! SQL for tiers: the levels and settings, a customer's tier state and qualifying points,
//! applying a decision, the expiry queue and the tier log.

use super::model::{Decision, TierLevel, TierRules};
use crate::activity::NewEvent;
use crate::store::Db;
use sqlx::{Any, FromRow, Transaction};

const SYSTEM_NAME: &str = "tiers.system_name";
const WINDOW_DAYS: &str = "tiers.window_days";
const VALIDITY_DAYS: &str = "tiers.validity_days";

#[derive(FromRow)]
struct LevelRow {
    name: String,
    rank: i64,
    threshold_points: i64,
    benefits: String,
}

/// The rules in force (defaults where a setting is unset).
pub async fn rules(db: &Db) -> Result<TierRules, sqlx::Error> {
    let levels: Vec<LevelRow> = sqlx::query_as(
        "SELECT name, rank, threshold_points, benefits FROM tier_levels ORDER BY rank",
    )
    .fetch_all(db.pool())
    .await?;
    let settings: Vec<(String, String)> =
        sqlx::query_as("SELECT key, value FROM settings WHERE key IN ($1, $2, $3)")
            .bind(SYSTEM_NAME)
            .bind(WINDOW_DAYS)
            .bind(VALIDITY_DAYS)
            .fetch_all(db.pool())
            .await?;
    let get = |key: &str| {
        settings
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    Ok(TierRules {
        system_name: get(SYSTEM_NAME).unwrap_or_else(|| "Coffee Club".into()),
        levels: levels
            .into_iter()
            .map(|l| TierLevel {
                name: l.name,
                rank: l.rank,
                threshold_points: l.threshold_points,
                benefits: l.benefits,
            })
            .collect(),
        window_days: get(WINDOW_DAYS).and_then(|v| v.parse().ok()).unwrap_or(365),
        validity_days: get(VALIDITY_DAYS)
            .and_then(|v| v.parse().ok())
            .unwrap_or(365),
    })
}

/// Stores the rules: each level's threshold and benefits, the window and validity.
pub async fn save_rules(
    tx: &mut Transaction<'_, Any>,
    rules: &TierRules,
) -> Result<(), sqlx::Error> {
    for level in &rules.levels {
        sqlx::query("UPDATE tier_levels SET threshold_points = $1, benefits = $2 WHERE name = $3")
            .bind(level.threshold_points)
            .bind(&level.benefits)
            .bind(&level.name)
            .execute(&mut **tx)
            .await?;
    }
    crate::settings::db::set_setting(&mut **tx, SYSTEM_NAME, &rules.system_name).await?;
    crate::settings::db::set_setting(&mut **tx, WINDOW_DAYS, &rules.window_days.to_string())
        .await?;
    crate::settings::db::set_setting(&mut **tx, VALIDITY_DAYS, &rules.validity_days.to_string())
        .await
}

/// A customer's tier state.
#[derive(Debug, Clone, FromRow)]
pub struct TierState {
    /// Tier.
    pub tier: Option<String>,
    /// Entered.
    pub tier_since: Option<i64>,
    /// Expires.
    pub tier_expires_at: Option<i64>,
    /// Processing restricted since.
    pub restricted_at: Option<i64>,
}

/// Customer `id`'s tier state; `None` when there is no such customer.
pub async fn state(db: &Db, id: &str) -> Result<Option<TierState>, sqlx::Error> {
    sqlx::query_as(
        "SELECT tier, tier_since, tier_expires_at, restricted_at FROM customers WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await
}

/// Points customer `id` earned or was comped since `since`.
pub async fn qualifying_points(db: &Db, id: &str, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(points_delta), 0) AS BIGINT) FROM events \
         WHERE customer_id = $1 AND event_type IN ('points_earned', 'points_comped') \
         AND points_delta > 0 AND occurred_at >= $2",
    )
    .bind(id)
    .bind(since)
    .fetch_one(db.pool())
    .await
}

/// Carries out `decision` for customer `id` at `now`: the new tier with its entry date and
/// expiry and a `tier_promoted` / `tier_demoted` event from `rules`, or a longer expiry.
pub async fn apply(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    decision: &Decision,
    from: Option<&str>,
    now: i64,
    validity_ms: i64,
) -> Result<Option<NewEvent>, sqlx::Error> {
    let (kind, to, reason) = match decision {
        Decision::Stay => return Ok(None),
        Decision::Renew => {
            sqlx::query("UPDATE customers SET tier_expires_at = $1 WHERE id = $2")
                .bind(now + validity_ms)
                .bind(id)
                .execute(&mut **tx)
                .await?;
            return Ok(None);
        }
        Decision::Promote { to, reason } => ("tier_promoted", to, reason),
        Decision::Demote { to, reason } => ("tier_demoted", to, reason),
    };
    sqlx::query(
        "UPDATE customers SET tier = $1, tier_since = $2, tier_expires_at = $3, \
         version = version + 1 WHERE id = $4",
    )
    .bind(to)
    .bind(now)
    .bind(now + validity_ms)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let mut event = NewEvent::console(
        id,
        kind,
        now,
        serde_json::json!({"tier": to, "from": from, "reason": reason}),
    );
    event.source = "rules".into();
    crate::activity::db::insert_many(tx, std::slice::from_ref(&event)).await?;
    Ok(Some(event))
}

/// Up to `limit` customers (not restricted) whose tier expired by `now`.
pub async fn expired(db: &Db, now: i64, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM customers WHERE tier_expires_at <= $1 AND restricted_at IS NULL LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

/// Customer `id`'s latest `limit` tier events, newest first: (type, time, payload, source).
pub async fn log(
    db: &Db,
    id: &str,
    limit: i64,
) -> Result<Vec<(String, i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT event_type, occurred_at, payload, source FROM events WHERE customer_id = $1 \
         AND event_type IN ('tier_promoted', 'tier_demoted') \
         ORDER BY occurred_at DESC, id DESC LIMIT $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

/// Gives every tiered customer without an expiry one `validity_ms` after they entered their
/// tier (data from before tier rules, and the seeder).
pub async fn backfill_expiry(db: &Db, validity_ms: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE customers SET tier_expires_at = tier_since + $1 \
         WHERE tier IS NOT NULL AND tier_since IS NOT NULL AND tier_expires_at IS NULL",
    )
    .bind(validity_ms)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}
