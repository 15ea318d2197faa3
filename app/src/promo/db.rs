//! SQL for the Promo Codes sub-tab: the code catalogue and the customer's promo-code events.

use super::model::PromoCode;
use crate::store::Db;
use sqlx::FromRow;

#[derive(FromRow)]
struct PromoRow {
    code: String,
    description: String,
    one_time: i64,
    per_customer_cap: Option<i64>,
    per_day_cap: Option<i64>,
    valid_from: Option<i64>,
    valid_until: Option<i64>,
    claim_hours: Option<String>,
}

/// Every promo code of the programme.
pub async fn catalog(db: &Db) -> Result<Vec<PromoCode>, sqlx::Error> {
    let rows: Vec<PromoRow> = sqlx::query_as(
        "SELECT code, description, one_time, per_customer_cap, per_day_cap, valid_from, \
         valid_until, claim_hours FROM promo_codes ORDER BY code",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PromoCode {
            code: r.code,
            description: r.description,
            one_time: r.one_time != 0,
            per_customer_cap: r.per_customer_cap,
            per_day_cap: r.per_day_cap,
            valid_from: r.valid_from,
            valid_until: r.valid_until,
            claim_hours: r.claim_hours,
        })
        .collect())
}

/// Customer `id`'s `event_type` events, newest first, at most `limit`: (time, payload JSON).
pub async fn events_of_type(
    db: &Db,
    id: &str,
    event_type: &str,
    limit: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT occurred_at, payload FROM events WHERE customer_id = $1 AND event_type = $2 \
         ORDER BY occurred_at DESC, id DESC LIMIT $3",
    )
    .bind(id)
    .bind(event_type)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

/// Times of customer `id`'s failed claims after `since`, oldest first.
pub async fn failures_after(db: &Db, id: &str, since: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT occurred_at FROM events WHERE customer_id = $1 \
         AND event_type = 'promo_code_claim_error' AND occurred_at > $2 ORDER BY occurred_at",
    )
    .bind(id)
    .bind(since)
    .fetch_all(db.pool())
    .await
}
