//! SQL for recently viewed customers.

use super::model::{RecentCustomer, KEPT_PER_USER};
use crate::store::Db;
use sqlx::FromRow;
use std::collections::BTreeSet;

/// One noted view: (user id, customer id) and when, in epoch milliseconds.
pub type View = ((String, String), i64);

/// Writes `views` in one transaction on the writer and drops what falls off each user's list.
/// A customer forgotten since is skipped; one forgotten in the same instant fails the foreign
/// key and the whole write, which then leaves nothing behind.
pub async fn record(db: &Db, views: &[View]) -> Result<(), sqlx::Error> {
    let mut tx = db.writer().begin_with(db.backend().begin_write()).await?;
    for ((user_id, customer_id), at) in views {
        sqlx::query(
            "INSERT INTO recent_views (user_id, customer_id, viewed_at) \
             SELECT $1, id, $3 FROM customers WHERE id = $2 \
             ON CONFLICT (user_id, customer_id) DO UPDATE SET viewed_at = excluded.viewed_at",
        )
        .bind(user_id)
        .bind(customer_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    let users: BTreeSet<&str> = views.iter().map(|((user, _), _)| user.as_str()).collect();
    for user_id in users {
        sqlx::query(
            "DELETE FROM recent_views WHERE user_id = $1 AND customer_id NOT IN \
             (SELECT customer_id FROM recent_views WHERE user_id = $1 \
              ORDER BY viewed_at DESC, customer_id LIMIT $2)",
        )
        .bind(user_id)
        .bind(KEPT_PER_USER)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
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
