//! On PostgreSQL with the `citus` extension, places every table as `placement` says: reference
//! tables first (distributed tables' foreign keys point at them), then `customers`, the tables
//! co-located with it, and the tables distributed by a key of their own. Idempotent: with
//! every table already placed it does nothing, so every `migrate` can run it.
//!
//! Citus refuses to distribute a table that local tables' foreign keys point at, and turns a
//! local table whose foreign key points at a new reference table into a "citus local" table.
//! So the foreign keys are set aside first and put back once every table is placed (Citus
//! then checks each one: co-located by customer, or pointing at a reference table), all in
//! one transaction: a failure leaves the schema as it was.

use super::customer_tables::{Shard, CUSTOMER_TABLES};
use super::placement::{OWN_KEY_TABLES, REFERENCE_TABLES};
use sqlx::AnyPool;

/// Distributes what is not yet placed; `false` (and nothing done) without Citus.
pub async fn distribute(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    let citus: Option<String> = sqlx::query_scalar(
        "SELECT CAST(extname AS TEXT) FROM pg_extension WHERE extname = 'citus'",
    )
    .fetch_optional(pool)
    .await?;
    if citus.is_none() {
        return Ok(false);
    }
    // (table, 'reference' | 'distributed' | 'local') of what Citus already manages.
    let managed: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(CAST(logicalrelid AS regclass) AS TEXT), CASE \
         WHEN partmethod = 'h' THEN 'distributed' \
         WHEN repmodel = 't' THEN 'reference' ELSE 'local' END FROM pg_dist_partition",
    )
    .fetch_all(pool)
    .await?;
    let placed = |table: &str, how: &str| managed.iter().any(|(t, h)| t == table && h == how);
    let reference: Vec<&str> = REFERENCE_TABLES
        .into_iter()
        .filter(|t| !placed(t, "reference"))
        .collect();
    let by_customer = CUSTOMER_TABLES.iter().map(|t| match t.shard {
        _ if t.name == "customers" => (t.name, "id", "default"),
        Shard::WithCustomer => (t.name, "customer_id", "customers"),
        Shard::OwnKey(column) => (t.name, column, "none"),
    });
    let by_own_key = OWN_KEY_TABLES.map(|(t, column)| (t, column, "none"));
    let distributed: Vec<(&str, &str, &str)> = by_customer
        .chain(by_own_key)
        .filter(|(t, ..)| !placed(t, "distributed"))
        .collect();
    if reference.is_empty() && distributed.is_empty() {
        return Ok(true);
    }
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'")
        .execute(&mut *tx)
        .await?;
    let foreign_keys: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT CAST(CAST(conrelid AS regclass) AS TEXT), CAST(conname AS TEXT), \
         pg_get_constraintdef(oid) FROM pg_constraint \
         WHERE contype = 'f' AND connamespace = CAST(current_schema() AS regnamespace)",
    )
    .fetch_all(&mut *tx)
    .await?;
    // The schema's own tables only: on the coordinator, reference tables' shards are tables
    // with foreign keys too.
    let foreign_keys: Vec<_> = foreign_keys
        .into_iter()
        .filter(|(t, ..)| super::placement::placed(t))
        .collect();
    for (table, name, _) in &foreign_keys {
        sqlx::query(&format!("ALTER TABLE {table} DROP CONSTRAINT {name}"))
            .execute(&mut *tx)
            .await?;
    }
    // Tables Citus turned into "citus local" ones go back to plain tables first.
    for (table, _) in managed.iter().filter(|(_, how)| how == "local") {
        sqlx::query("SELECT CAST(undistribute_table(CAST($1 AS regclass)) AS TEXT)")
            .bind(table)
            .execute(&mut *tx)
            .await?;
    }
    for table in reference {
        sqlx::query("SELECT CAST(create_reference_table(CAST($1 AS regclass)) AS TEXT)")
            .bind(table)
            .execute(&mut *tx)
            .await?;
    }
    for (table, column, colocate_with) in distributed {
        sqlx::query(
            "SELECT CAST(create_distributed_table(CAST($1 AS regclass), $2, \
             colocate_with => $3) AS TEXT)",
        )
        .bind(table)
        .bind(column)
        .bind(colocate_with)
        .execute(&mut *tx)
        .await?;
    }
    for (table, name, definition) in &foreign_keys {
        sqlx::query(&format!(
            "ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
        ))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The shard of `table` (distributed by a text column) that holds each of `values`, read on the
/// coordinator alone (no shard is touched): `(value, shard id)`.
pub async fn shards_of(
    conn: &mut sqlx::AnyConnection,
    table: &'static str,
    values: &[&str],
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let mut found = Vec::with_capacity(values.len());
    for chunk in values.chunks(1000) {
        let sql = format!(
            "SELECT v.value, get_shard_id_for_distribution_column('{table}', v.value) \
             FROM (VALUES {}) AS v(value)",
            super::values_placeholders(super::Backend::Postgres, chunk.len(), 1)
        );
        let mut query = sqlx::query_as::<_, (String, i64)>(&sql);
        for value in chunk {
            query = query.bind(*value);
        }
        found.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}
