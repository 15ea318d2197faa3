//! SQL for campaigns: the catalogue and a customer's progress events.

use super::model::Campaign;
use crate::store::Db;
use sqlx::FromRow;

#[derive(FromRow)]
struct CampaignRow {
    id: String,
    name: String,
    description: String,
    goal: i64,
    unit: String,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
    audience: Option<String>,
}

impl From<CampaignRow> for Campaign {
    fn from(r: CampaignRow) -> Self {
        Campaign {
            id: r.id,
            name: r.name,
            description: r.description,
            goal: r.goal,
            unit: r.unit,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            audience: r.audience,
        }
    }
}

const COLUMNS: &str = "id, name, description, goal, unit, starts_at, ends_at, audience";

/// Every campaign, by name.
pub async fn catalogue(db: &Db) -> Result<Vec<Campaign>, sqlx::Error> {
    let rows: Vec<CampaignRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM campaigns ORDER BY name"))
            .fetch_all(db.pool())
            .await?;
    Ok(rows.into_iter().map(Campaign::from).collect())
}

/// Campaign `id`.
pub async fn campaign(db: &Db, id: &str) -> Result<Option<Campaign>, sqlx::Error> {
    let row: Option<CampaignRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM campaigns WHERE id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(Campaign::from))
}

/// Customer `id`'s tier: `None` when there is no such customer.
pub async fn customer_tier(db: &Db, id: &str) -> Result<Option<Option<String>>, sqlx::Error> {
    sqlx::query_scalar("SELECT tier FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

/// Customer `id`'s latest `limit` campaign-progress events, newest first: (time, payload).
pub async fn progress_events(
    db: &Db,
    id: &str,
    limit: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT occurred_at, payload FROM events WHERE customer_id = $1 \
         AND event_type = 'campaign_progress' ORDER BY occurred_at DESC, id DESC LIMIT $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
