//! SQL of custom profile attributes: the declared types (`attribute_types`, a reference table
//! on Citus) and customers' values (`customer_attributes`, by customer).

use super::model::{AttributeKind, AttributeType, AttributeValue};
use crate::store::Db;
use sqlx::{Any, Transaction};

/// Every declared attribute with how many customers hold a value, by label (the admin screen;
/// two queries: a correlated count over a distributed table is not something Citus plans).
pub async fn types(db: &Db) -> Result<Vec<AttributeType>, sqlx::Error> {
    let declared = declared(db).await?;
    if declared.is_empty() {
        return Ok(Vec::new());
    }
    let counts: std::collections::HashMap<String, i64> =
        sqlx::query_as("SELECT key, COUNT(*) FROM customer_attributes GROUP BY key")
            .fetch_all(db.pool())
            .await?
            .into_iter()
            .collect();
    Ok(declared
        .into_iter()
        .map(|declared| AttributeType {
            in_use: counts.get(&declared.name).copied().unwrap_or(0),
            ..declared
        })
        .collect())
}

/// Every declared attribute, by label (`in_use` not counted: what checking a value needs),
/// kept in the organisation cache.
pub async fn declared(db: &Db) -> Result<Vec<AttributeType>, sqlx::Error> {
    let declared = db.org_cache().get(|| read_declared(db)).await?;
    Ok(Vec::clone(&declared))
}

/// The declarations as the database holds them.
async fn read_declared(db: &Db) -> Result<Vec<AttributeType>, sqlx::Error> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT name, label, kind FROM attribute_types ORDER BY label, name")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(name, label, kind)| {
            Some(AttributeType {
                in_use: 0,
                kind: AttributeKind::parse(&kind)?,
                name,
                label,
            })
        })
        .collect())
}

/// Declares an attribute (a taken name fails with a unique violation).
pub async fn add_type(
    tx: &mut Transaction<'_, Any>,
    name: &str,
    label: &str,
    kind: AttributeKind,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO attribute_types (name, label, kind, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(name)
    .bind(label)
    .bind(kind.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    crate::store::org_cache::written();
    Ok(())
}

/// Removes the declaration of `name` when no customer holds a value; whether it did.
pub async fn remove_unused_type(
    tx: &mut Transaction<'_, Any>,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM attribute_types WHERE name = $1 \
         AND NOT EXISTS (SELECT 1 FROM customer_attributes WHERE key = $1)",
    )
    .bind(name)
    .execute(&mut **tx)
    .await?;
    crate::store::org_cache::written();
    Ok(done.rows_affected() == 1)
}

/// Sets (`Some`) or removes (`None`) customer `id`'s attribute `name` as of `at`, unless a
/// later value is already stored (events may arrive out of order).
pub async fn set_value(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    name: &str,
    value: Option<&str>,
    at: i64,
) -> Result<(), sqlx::Error> {
    match value {
        Some(value) => {
            sqlx::query(
                "INSERT INTO customer_attributes (customer_id, key, value, updated_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (customer_id, key) DO UPDATE SET \
                 value = excluded.value, updated_at = excluded.updated_at \
                 WHERE customer_attributes.updated_at <= excluded.updated_at",
            )
            .bind(id)
            .bind(name)
            .bind(value)
            .bind(at)
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query(
                "DELETE FROM customer_attributes WHERE customer_id = $1 AND key = $2 \
                 AND updated_at <= $3",
            )
            .bind(id)
            .bind(name)
            .bind(at)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Customer `id`'s attributes with their labels and kinds (an undeclared key reads as text
/// under its own name), by label.
pub async fn of_customer<'c, E>(executor: E, id: &str) -> Result<Vec<AttributeValue>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let rows: Vec<AttributeRow> = sqlx::query_as(
        "SELECT a.customer_id, a.key, t.label, t.kind, a.value FROM customer_attributes a \
         LEFT JOIN attribute_types t ON t.name = a.key WHERE a.customer_id = $1",
    )
    .bind(id)
    .fetch_all(executor)
    .await?;
    Ok(by_customer(rows).remove(id).unwrap_or_default())
}

/// A stored attribute with its declaration: customer, name, label, kind, value.
type AttributeRow = (String, String, Option<String>, Option<String>, String);

/// [`of_customer`] for each of customers `ids` (those holding none are missing).
pub async fn of_customers(
    connection: &mut sqlx::AnyConnection,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<AttributeValue>>, sqlx::Error> {
    let sql = format!(
        "SELECT a.customer_id, a.key, t.label, t.kind, a.value FROM customer_attributes a \
         LEFT JOIN attribute_types t ON t.name = a.key WHERE a.customer_id IN ({})",
        crate::store::list_placeholders(crate::store::Backend::of(&*connection), 1, ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    Ok(by_customer(query.fetch_all(connection).await?))
}

/// Attribute rows `(customer, name, label, kind, value)` as each customer's values, by label.
fn by_customer(rows: Vec<AttributeRow>) -> std::collections::HashMap<String, Vec<AttributeValue>> {
    let mut found: std::collections::HashMap<String, Vec<AttributeValue>> =
        std::collections::HashMap::new();
    for (customer, name, label, kind, value) in rows {
        found.entry(customer).or_default().push(AttributeValue {
            label: label.unwrap_or_else(|| name.clone()),
            kind: kind
                .as_deref()
                .and_then(AttributeKind::parse)
                .unwrap_or(AttributeKind::Text),
            name,
            value,
        });
    }
    for values in found.values_mut() {
        values.sort_by(|a, b| a.label.cmp(&b.label));
    }
    found
}
