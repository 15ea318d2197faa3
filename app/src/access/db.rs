//! SQL for the access tools.

use sqlx::{Any, Executor, Transaction};

/// Email, first name and phone-verified flag of `customer_id`, if the customer exists.
pub async fn contact<'e, E>(
    executor: E,
    customer_id: &str,
) -> Result<Option<(Option<String>, Option<String>, i64)>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query_as("SELECT email, first_name, phone_verified FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(executor)
        .await
}

/// Clears the verified-phone state of `customer_id`.
pub async fn clear_phone_verification(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customers SET phone_verified = 0, updated_at = $1, version = version + 1 \
         WHERE id = $2",
    )
    .bind(now)
    .bind(customer_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
