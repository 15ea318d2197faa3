//! SQL for points adjustments: balance change, ledger event and audit record in one
//! transaction; the balance check and update are one statement, so concurrent agents lose
//! nothing and never take the balance below zero.

use crate::activity::NewEvent;
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

/// Writes the ledger event of an adjustment.
pub async fn record_event(
    tx: &mut Transaction<'_, Any>,
    event: &NewEvent,
) -> Result<(), sqlx::Error> {
    crate::activity::db::insert_many(tx, std::slice::from_ref(event)).await
}
