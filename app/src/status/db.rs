//! SQL for changing a customer's status.

use sqlx::{Any, Transaction};

/// The status id of `customer_id`, if the customer exists.
pub async fn current(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT status_id FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(&mut **tx)
        .await
}

/// The display name of status type `status_id`, if it is configured.
pub async fn name_of(
    tx: &mut Transaction<'_, Any>,
    status_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM status_types WHERE id = $1")
        .bind(status_id)
        .fetch_optional(&mut **tx)
        .await
}

/// Sets the status of `customer_id`.
pub async fn set(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    status_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customers SET status_id = $1, updated_at = $2, version = version + 1 \
         WHERE id = $3",
    )
    .bind(status_id)
    .bind(now)
    .bind(customer_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
