//! On PostgreSQL with the `citus` extension, places every table as `placement` says: reference
//! tables first (distributed tables' foreign keys point at them), then `customers`, the tables
//! co-located with it, and the tables distributed by a key of their own. Idempotent: a table
//! Citus already knows is left alone, so every `migrate` can run it.

use super::placement::{CUSTOMER_TABLES, OWN_KEY_TABLES, REFERENCE_TABLES};
use sqlx::AnyPool;

/// Distributes what is not yet distributed; `false` (and nothing done) without Citus.
pub async fn distribute(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    let citus: Option<String> =
        sqlx::query_scalar("SELECT extname FROM pg_extension WHERE extname = 'citus'")
            .fetch_optional(pool)
            .await?;
    if citus.is_none() {
        return Ok(false);
    }
    let known: Vec<String> =
        sqlx::query_scalar("SELECT CAST(logicalrelid AS regclass)::text FROM pg_dist_partition")
            .fetch_all(pool)
            .await?;
    let todo = |table: &str| !known.iter().any(|k| k == table);
    for table in REFERENCE_TABLES.into_iter().filter(|t| todo(t)) {
        sqlx::query("SELECT CAST(create_reference_table(CAST($1 AS regclass)) AS TEXT)")
            .bind(table)
            .execute(pool)
            .await?;
    }
    let by_customer = std::iter::once(("customers", "id", "default"))
        .chain(CUSTOMER_TABLES.map(|t| (t, "customer_id", "customers")));
    let by_own_key = OWN_KEY_TABLES.map(|(t, column)| (t, column, "none"));
    for (table, column, colocate_with) in by_customer.chain(by_own_key).filter(|(t, ..)| todo(t)) {
        sqlx::query("SELECT CAST(create_distributed_table(CAST($1 AS regclass), $2, colocate_with => $3) AS TEXT)")
            .bind(table)
            .bind(column)
            .bind(colocate_with)
            .execute(pool)
            .await?;
    }
    Ok(true)
}
