//! SQL for the Digital properties tab.

use crate::store::Db;

/// Whether customer `id` exists.
pub async fn customer_exists(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(found.is_some())
}

/// `(event_type, occurred_at, payload)` of the customer's app-session and device events.
pub async fn device_events(
    db: &Db,
    customer_id: &str,
) -> Result<Vec<(String, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT event_type, occurred_at, payload FROM events WHERE customer_id = $1 \
         AND event_type IN ('app_session', 'device_seen')",
    )
    .bind(customer_id)
    .fetch_all(db.pool())
    .await
}
