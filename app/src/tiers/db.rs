//! SQL for tiers: the levels and settings, a customer's tier state and qualifying points,
//! applying a decision, the expiry queue and the tier log.

use super::model::{Decision, TierLevel, TierRules};
use crate::events::NewEvent;
use crate::store::{list_placeholders, values_placeholders, Backend, Db};
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

/// The rules in force (defaults where a setting is unset), kept in the organisation cache.
pub async fn rules(db: &Db) -> Result<TierRules, sqlx::Error> {
    let rules = db.org_cache().get(|| read_rules(db)).await?;
    Ok(TierRules::clone(&rules))
}

/// The rules as the database holds them.
async fn read_rules(db: &Db) -> Result<TierRules, sqlx::Error> {
    let levels: Vec<LevelRow> = sqlx::query_as(
        "SELECT name, rank, threshold_points, benefits FROM tier_levels ORDER BY rank",
    )
    .fetch_all(db.pool())
    .await?;
    let settings = crate::settings::db::all(db).await?;
    let get = |key: &str| settings.get(key).map(str::to_string);
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

/// A customer's tier state and the points that qualify for tiers.
#[derive(Debug, Clone, FromRow)]
pub struct TierState {
    /// The customer.
    pub id: String,
    /// Tier.
    pub tier: Option<String>,
    /// Entered.
    pub tier_since: Option<i64>,
    /// Expires.
    pub tier_expires_at: Option<i64>,
    /// Processing restricted since.
    pub restricted_at: Option<i64>,
    /// Points earned or comped since the window's start.
    pub qualifying_points: i64,
}

/// Customers per multi-row statement.
const CHUNK: usize = 500;

/// The query for [`TierState`]s: the window's start first, then `count` customer ids.
fn states_sql(backend: Backend, count: usize) -> String {
    // SQLite numbers `?` by position: the window's start comes first in the text and binds.
    let since = match backend {
        Backend::Sqlite => "?",
        Backend::Postgres => "$1",
    };
    format!(
        "SELECT c.id, c.tier, c.tier_since, c.tier_expires_at, c.restricted_at, \
         (SELECT CAST(COALESCE(SUM(e.points_delta), 0) AS BIGINT) FROM events e \
          WHERE e.customer_id = c.id AND e.event_type IN ('points_earned', 'points_comped') \
          AND e.points_delta > 0 AND e.occurred_at >= {since}) AS qualifying_points \
         FROM customers c WHERE c.id IN ({})",
        list_placeholders(backend, 2, count)
    )
}

/// Customer `id`'s tier state with the points qualifying since `since`; `None` when there is
/// no such customer.
pub async fn state(db: &Db, id: &str, since: i64) -> Result<Option<TierState>, sqlx::Error> {
    sqlx::query_as(&states_sql(db.backend(), 1))
        .bind(since)
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

/// The tier state of each customer of `ids` that exists, read inside `tx` (so a batch's own
/// events count).
pub async fn states(
    tx: &mut Transaction<'_, Any>,
    ids: &[&str],
    since: i64,
) -> Result<Vec<TierState>, sqlx::Error> {
    let backend = Backend::of(tx);
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let sql = states_sql(backend, chunk.len());
        let mut query = sqlx::query_as::<_, TierState>(&sql).bind(since);
        for id in chunk {
            query = query.bind(*id);
        }
        found.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(found)
}

/// A decision of the rules for one customer, with the tier they were in.
pub struct Change<'a> {
    /// The customer.
    pub id: &'a str,
    /// Their tier before.
    pub from: Option<&'a str>,
    /// What the rules decided (not [`Decision::Stay`]).
    pub decision: Decision,
}

/// Carries out `changes` at `now`: new tiers with their entry date and expiry and a
/// `tier_promoted` / `tier_demoted` event from `rules` each, or longer expiries for renewals.
/// A few multi-row statements, not a few per customer.
pub async fn apply(
    tx: &mut Transaction<'_, Any>,
    changes: &[Change<'_>],
    now: i64,
    validity_ms: i64,
) -> Result<(), sqlx::Error> {
    let backend = Backend::of(tx);
    let expires = now + validity_ms;
    let mut moved: Vec<(&str, &str)> = Vec::new();
    let mut renewed: Vec<&str> = Vec::new();
    let mut events = Vec::new();
    for change in changes {
        let (kind, to, reason) = match &change.decision {
            Decision::Stay => continue,
            Decision::Renew => {
                renewed.push(change.id);
                continue;
            }
            Decision::Promote { to, reason } => ("tier_promoted", to, reason),
            Decision::Demote { to, reason } => ("tier_demoted", to, reason),
        };
        moved.push((change.id, to));
        let mut event = NewEvent::console(
            change.id,
            kind,
            now,
            serde_json::json!({"tier": to, "from": change.from, "reason": reason}),
        );
        event.source = "rules".into();
        events.push(event);
    }
    for chunk in moved.chunks(CHUNK) {
        let sql = format!(
            "WITH v(cid, tier) AS (VALUES {}) UPDATE customers SET tier = v.tier, \
             tier_since = {now}, tier_expires_at = {expires}, version = version + 1 \
             FROM v WHERE customers.id = v.cid",
            values_placeholders(backend, chunk.len(), 2)
        );
        let mut query = sqlx::query(&sql);
        for (id, tier) in chunk {
            query = query.bind(*id).bind(*tier);
        }
        query.execute(&mut **tx).await?;
    }
    for chunk in renewed.chunks(CHUNK) {
        let sql = format!(
            "UPDATE customers SET tier_expires_at = {expires} WHERE id IN ({})",
            list_placeholders(backend, 1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        query.execute(&mut **tx).await?;
    }
    crate::events::db::insert_many(tx, &events).await
}

/// Up to `limit` customers (not restricted) whose tier, one the rules define, expired by
/// `now` (a tier another system manages is left to it).
pub async fn expired(db: &Db, now: i64, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM customers WHERE tier_expires_at <= $1 AND restricted_at IS NULL \
         AND tier IN (SELECT name FROM tier_levels) LIMIT $2",
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
