//! SQL for points adjustments: balance change, ledger event and audit record in one
//! transaction; the balance check and update are one statement, so concurrent agents lose
//! nothing and never take the balance below zero.

use sqlx::{Any, Transaction};

/// What happened to an adjustment.
#[derive(Debug, PartialEq, Eq)]
pub enum Adjusted {
    /// Applied; the new balance.
    Applied(i64),
    /// Refused: the balance would go below zero; the current balance.
    WouldGoNegative(i64),
    /// No such customer.
    NoCustomer,
}

/// Adds `delta` to the balance of `customer_id` unless that would make it negative.
pub async fn apply(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    delta: i64,
    now: i64,
) -> Result<Adjusted, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE customers SET points_balance = points_balance + $1, updated_at = $2, \
         last_active_at = $2 WHERE id = $3 AND points_balance + $1 >= 0",
    )
    .bind(delta)
    .bind(now)
    .bind(customer_id)
    .execute(&mut **tx)
    .await?;
    let balance: Option<i64> =
        sqlx::query_scalar("SELECT points_balance FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(match (done.rows_affected(), balance) {
        (_, None) => Adjusted::NoCustomer,
        (0, Some(balance)) => Adjusted::WouldGoNegative(balance),
        (_, Some(balance)) => Adjusted::Applied(balance),
    })
}

/// One line of the points ledger.
#[derive(sqlx::FromRow)]
pub struct LedgerRow {
    /// Event id.
    pub id: String,
    /// Type of the event that moved the points.
    pub event_type: String,
    /// When.
    pub occurred_at: i64,
    /// Change (signed).
    pub points_delta: i64,
    /// Where it came from.
    pub source: String,
    /// Its payload (reason, agent).
    pub payload: String,
}

/// A page of the events of customer `id` that moved points, newest first, after the
/// `(occurred_at, id)` cursor `before`.
pub async fn ledger(
    db: &crate::store::Db,
    id: &str,
    before: Option<&(i64, String)>,
    limit: i64,
) -> Result<Vec<LedgerRow>, sqlx::Error> {
    const HEAD: &str = "SELECT id, event_type, occurred_at, points_delta, source, payload \
        FROM events WHERE customer_id = $1 AND points_delta IS NOT NULL";
    let sql = match before {
        Some(_) => format!(
            "{HEAD} AND (occurred_at < $2 OR (occurred_at = $2 AND id < $3)) \
             ORDER BY occurred_at DESC, id DESC LIMIT $4"
        ),
        None => format!("{HEAD} ORDER BY occurred_at DESC, id DESC LIMIT $2"),
    };
    let mut query = sqlx::query_as(&sql).bind(id);
    if let Some((at, event_id)) = before {
        query = query.bind(*at).bind(event_id.clone());
    }
    query.bind(limit).fetch_all(db.pool()).await
}

/// The points balance of customer `id`, if there is one.
pub async fn balance(db: &crate::store::Db, id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT points_balance FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
}
