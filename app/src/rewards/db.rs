//! SQL for the Rewards sub-tab.

use crate::store::Db;

/// Customer `id`'s latest `limit` reward events, newest first: (type, time, payload).
pub async fn reward_events(
    db: &Db,
    id: &str,
    limit: i64,
) -> Result<Vec<(String, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT event_type, occurred_at, payload FROM events WHERE customer_id = $1 \
         AND event_type IN ('reward_redeemed', 'reward_order_updated') \
         ORDER BY occurred_at DESC, id DESC LIMIT $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
