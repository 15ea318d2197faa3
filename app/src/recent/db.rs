//! SQL for recently viewed customers.

use super::model::{RecentCustomer, KEPT_PER_USER};
use crate::store::Db;
use sqlx::FromRow;

/// Notes that `user_id` opened `customer_id` at `at` and drops what falls off their list. Fails
/// (foreign key) when the customer was forgotten meanwhile, which leaves nothing behind. Runs
/// on the writer: on SQLite it queues there instead of holding a reader connection while it
/// waits for the write lock, and does not empty the writer's page cache.
pub async fn record(db: &Db, user_id: &str, customer_id: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO recent_views (user_id, customer_id, viewed_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, customer_id) DO UPDATE SET viewed_at = excluded.viewed_at",
    )
    .bind(user_id)
    .bind(customer_id)
    .bind(at)
    .execute(db.writer())
    .await?;
    sqlx::query(
        "DELETE FROM recent_views WHERE user_id = $1 AND customer_id NOT IN \
         (SELECT customer_id FROM recent_views WHERE user_id = $1 \
          ORDER BY viewed_at DESC, customer_id LIMIT $2)",
    )
    .bind(user_id)
    .bind(KEPT_PER_USER)
    .execute(db.writer())
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct RecentRow {
    id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    status: String,
    is_test: i64,
    viewed_at: i64,
}

/// `user_id`'s recently viewed customers, the latest first.
pub async fn list(db: &Db, user_id: &str) -> Result<Vec<RecentCustomer>, sqlx::Error> {
    let rows: Vec<RecentRow> = sqlx::query_as(
        "SELECT c.id, c.first_name, c.last_name, s.name AS status, c.is_test, r.viewed_at \
         FROM recent_views r JOIN customers c ON c.id = r.customer_id \
         JOIN status_types s ON s.id = c.status_id \
         WHERE r.user_id = $1 ORDER BY r.viewed_at DESC, r.customer_id LIMIT $2",
    )
    .bind(user_id)
    .bind(KEPT_PER_USER)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| RecentCustomer {
            name: crate::customers::full_name(row.first_name.as_deref(), row.last_name.as_deref())
                .unwrap_or_else(|| "Unnamed customer".into()),
            id: row.id,
            status: row.status,
            is_test: row.is_test != 0,
            viewed_at: row.viewed_at,
        })
        .collect())
}
