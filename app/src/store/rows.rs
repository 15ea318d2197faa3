//! Rows of any table as JSON objects, and back: a merge keeps the rows it may have to put
//! back exactly (every column, with its type), whatever the table and whatever columns a later
//! migration adds.

use super::{list_placeholders, Backend};
use serde_json::{Map, Number, Value};
use sqlx::any::AnyRow;
use sqlx::{Any, Column, Row, Transaction};

/// One row: column name → value (integer, real, text or null).
pub type JsonRow = Map<String, Value>;

/// Every column of `row` with its value.
pub fn to_json(row: &AnyRow) -> JsonRow {
    row.columns()
        .iter()
        .map(|column| {
            let i = column.ordinal();
            let value = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
                v.map_or(Value::Null, Value::from)
            } else if let Ok(v) = row.try_get::<Option<i32>, _>(i) {
                v.map_or(Value::Null, Value::from)
            } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
                v.and_then(Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
                v.map_or(Value::Null, Value::String)
            } else if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
                v.map_or(Value::Null, |b| Value::from(i64::from(b)))
            } else {
                Value::Null
            };
            (column.name().to_string(), value)
        })
        .collect()
}

/// The rows of `table` whose `key` column is `id`, as JSON, in a stable order (by every
/// column, so two reads of unchanged rows compare equal).
pub async fn select(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    key: &str,
    id: &str,
) -> Result<Vec<JsonRow>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT * FROM {table} WHERE {key} = $1"))
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
    let mut rows: Vec<JsonRow> = rows.iter().map(to_json).collect();
    rows.sort_by_key(|row| Value::Object(row.clone()).to_string());
    Ok(rows)
}

/// Inserts `rows` into `table` one at a time (nulls written as `NULL`, so no parameter needs
/// a type the database cannot infer).
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    rows: &[JsonRow],
) -> Result<(), sqlx::Error> {
    let backend = Backend::of(tx);
    for row in rows {
        let present: Vec<(&String, &Value)> = row.iter().filter(|(_, v)| !v.is_null()).collect();
        let columns: Vec<&str> = present.iter().map(|(c, _)| c.as_str()).collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            columns.join(", "),
            list_placeholders(backend, 1, present.len())
        );
        let mut query = sqlx::query(&sql);
        for (_, value) in present {
            query = bind(query, value);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Sets every column of `row` on the row of `table` whose `key` column is `id`.
pub async fn update(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    key: &str,
    id: &str,
    row: &JsonRow,
) -> Result<(), sqlx::Error> {
    let backend = Backend::of(tx);
    let changed: Vec<(&String, &Value)> = row.iter().filter(|(c, _)| *c != key).collect();
    let mut next = 0;
    let mut param = || {
        next += 1;
        match backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${next}"),
        }
    };
    let sets: Vec<String> = changed
        .iter()
        .map(|(column, value)| match value {
            Value::Null => format!("{column} = NULL"),
            _ => format!("{column} = {}", param()),
        })
        .collect();
    let sql = format!(
        "UPDATE {table} SET {} WHERE {key} = {}",
        sets.join(", "),
        param()
    );
    let mut query = sqlx::query(&sql);
    for (_, value) in changed.iter().filter(|(_, v)| !v.is_null()) {
        query = bind(query, value);
    }
    query.bind(id.to_string()).execute(&mut **tx).await?;
    Ok(())
}

/// The names of `table`'s columns, in order.
pub async fn columns(
    tx: &mut Transaction<'_, Any>,
    table: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = match Backend::of(tx) {
        Backend::Sqlite => "SELECT name FROM pragma_table_info($1) ORDER BY cid",
        Backend::Postgres => {
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    sqlx::query_scalar(sql)
        .bind(table)
        .fetch_all(&mut **tx)
        .await
}

type Query<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>;

fn bind<'q>(query: Query<'q>, value: &Value) -> Query<'q> {
    match value {
        Value::Number(n) => match n.as_i64() {
            Some(i) => query.bind(i),
            None => query.bind(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => query.bind(s.clone()),
        Value::Bool(b) => query.bind(i64::from(*b)),
        other => query.bind(other.to_string()),
    }
}
