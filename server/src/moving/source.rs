//! The SQLite side of a move: reading rows (SQLite's own conversions read each value as its
//! column's kind), the log of every row changed after the copy started (triggers the move
//! installs, and removes when it gives up), and the maintenance switch.

use super::checksum::Checksum;
use super::schema::Table;
use super::{Kind, Value};
use futures::TryStreamExt;
use sqlx::sqlite::{SqliteConnectOptions, SqliteRow};
use sqlx::{ConnectOptions, Row, SqliteConnection};
use std::str::FromStr;

/// The table the triggers write each changed row's key to.
const LOG: &str = "customer_profiles_move_log";

/// The values of `row` from its column `first` on, read as `table`'s columns.
pub fn values_of(
    row: &SqliteRow,
    table: &Table,
    first: usize,
    values: &mut Vec<Value>,
) -> Result<(), sqlx::Error> {
    values.clear();
    for (i, (_, kind)) in table.columns.iter().enumerate() {
        let i = first + i;
        let value = match kind {
            Kind::Int => row
                .try_get_unchecked::<Option<i64>, _>(i)
                .map(|v| v.map(Value::Int)),
            Kind::Float => row
                .try_get_unchecked::<Option<f64>, _>(i)
                .map(|v| v.map(Value::Float)),
            Kind::Text => row
                .try_get_unchecked::<Option<String>, _>(i)
                .map(|v| v.map(Value::Text)),
        };
        values.push(value?.unwrap_or(Value::Null));
    }
    Ok(())
}

/// A connection of the move's own to the source (its whole-table reads are slow statements
/// by design: not logged as such).
pub async fn connect(url: &str) -> Result<SqliteConnection, String> {
    let failed = |e: sqlx::Error| format!("cannot open the source: {e}");
    SqliteConnectOptions::from_str(url)
        .map_err(failed)?
        .disable_statement_logging()
        .connect()
        .await
        .map_err(failed)
}

/// The number of rows of `table`.
pub async fn count(source: &mut SqliteConnection, table: &str) -> Result<u64, String> {
    let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(source)
        .await
        .map_err(|e| format!("the source cannot be read as the target's schema: {e}"))?;
    Ok(count as u64)
}

/// Every row of `table`: how many and their checksum.
pub async fn checksum(
    source: &mut SqliteConnection,
    table: &Table,
) -> Result<(u64, Checksum), String> {
    let failed = |e: sqlx::Error| format!("cannot read {} again: {e}", table.name);
    let sql = format!("SELECT {} FROM {}", table.column_list(), table.name);
    let mut rows = sqlx::query(&sql).fetch(source);
    let (mut read, mut checksum, mut values) = (0u64, Checksum::default(), Vec::new());
    while let Some(row) = rows.try_next().await.map_err(failed)? {
        values_of(&row, table, 0, &mut values).map_err(failed)?;
        checksum.add(&values);
        read += 1;
    }
    Ok((read, checksum))
}

/// The row of `table` whose key is `key`, if there is one.
pub async fn row_by_key(
    source: &mut SqliteConnection,
    table: &Table,
    key: &[Value],
) -> Result<Option<Vec<Value>>, String> {
    let failed = |e: sqlx::Error| format!("cannot read a changed row of {}: {e}", table.name);
    let sql = format!(
        "SELECT {} FROM {} WHERE {}",
        table.column_list(),
        table.name,
        table.key_condition(false)
    );
    let mut query = sqlx::query(&sql);
    for value in key {
        query = match value {
            Value::Null => query.bind(None::<String>),
            Value::Int(n) => query.bind(*n),
            Value::Float(x) => query.bind(*x),
            Value::Text(text) => query.bind(text.clone()),
        };
    }
    let Some(row) = query.fetch_optional(source).await.map_err(failed)? else {
        return Ok(None);
    };
    let mut values = Vec::new();
    values_of(&row, table, 0, &mut values).map_err(failed)?;
    Ok(Some(values))
}

/// Logs every insert, update and delete of `tables` from now on: the table and the row's old
/// and new key (a table without a key logs that it changed).
pub async fn install_change_log(
    source: &mut SqliteConnection,
    tables: &[Table],
) -> Result<(), String> {
    let failed = |e: sqlx::Error| format!("cannot watch the source for changes: {e}");
    let mut sql = format!(
        "CREATE TABLE IF NOT EXISTS {LOG} (seq INTEGER PRIMARY KEY AUTOINCREMENT, \
         tbl TEXT NOT NULL, old_key TEXT, new_key TEXT);"
    );
    for table in tables {
        let key = |row: &str| {
            let columns: Vec<String> = table
                .key_columns()
                .iter()
                .map(|c| format!("{row}.{c}"))
                .collect();
            if columns.is_empty() {
                "NULL".to_string()
            } else {
                format!("json_array({})", columns.join(", "))
            }
        };
        let name = &table.name;
        for (event, old, new) in [
            ("INSERT", "NULL".to_string(), key("NEW")),
            ("UPDATE", key("OLD"), key("NEW")),
            ("DELETE", key("OLD"), "NULL".to_string()),
        ] {
            sql.push_str(&format!(
                "DROP TRIGGER IF EXISTS {LOG}_{name}_{event}; \
                 CREATE TRIGGER {LOG}_{name}_{event} AFTER {event} ON {name} BEGIN \
                 INSERT INTO {LOG} (tbl, old_key, new_key) VALUES ('{name}', {old}, {new}); END;"
            ));
        }
    }
    sqlx::raw_sql(&sql).execute(source).await.map_err(failed)?;
    Ok(())
}

/// Whether the source holds a move's change log (left by a move that did not finish).
pub async fn has_change_log(source: &mut SqliteConnection) -> Result<bool, String> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?")
            .bind(LOG)
            .fetch_optional(source)
            .await
            .map_err(|e| format!("cannot read the source: {e}"))?;
    Ok(found.is_some())
}

/// The last change logged so far (0 for none).
pub async fn log_position(source: &mut SqliteConnection) -> Result<i64, String> {
    sqlx::query_scalar(&format!("SELECT COALESCE(MAX(seq), 0) FROM {LOG}"))
        .fetch_one(source)
        .await
        .map_err(|e| format!("cannot read the change log: {e}"))
}

/// The changes logged after `position`: (table, old key, new key) as JSON arrays.
pub async fn changes_since(
    source: &mut SqliteConnection,
    position: i64,
) -> Result<Vec<(String, Option<String>, Option<String>)>, String> {
    sqlx::query_as(&format!(
        "SELECT tbl, old_key, new_key FROM {LOG} WHERE seq > ? ORDER BY seq"
    ))
    .bind(position)
    .fetch_all(source)
    .await
    .map_err(|e| format!("cannot read the change log: {e}"))
}

/// Removes the change log and its triggers.
pub async fn remove_change_log(source: &mut SqliteConnection) -> Result<(), String> {
    let failed = |e: sqlx::Error| format!("cannot remove the change log: {e}");
    let triggers: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '{LOG}_%'"
    ))
    .fetch_all(&mut *source)
    .await
    .map_err(failed)?;
    let mut sql: String = triggers
        .iter()
        .map(|name| format!("DROP TRIGGER IF EXISTS {name};"))
        .collect();
    sql.push_str(&format!("DROP TABLE IF EXISTS {LOG};"));
    sqlx::raw_sql(&sql).execute(source).await.map_err(failed)?;
    Ok(())
}

/// Puts the source in maintenance (every change refused) from `now`.
pub async fn enter_maintenance(source: &mut SqliteConnection, now: i64) -> Result<(), String> {
    sqlx::query(
        "INSERT INTO maintenance (id, reason, since) VALUES (1, 'moving', ?) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(now)
    .execute(source)
    .await
    .map_err(|e| format!("cannot put the console in maintenance: {e}"))?;
    Ok(())
}

/// Takes the source out of maintenance.
pub async fn leave_maintenance(source: &mut SqliteConnection) -> Result<(), String> {
    sqlx::query("DELETE FROM maintenance WHERE id = 1")
        .execute(source)
        .await
        .map_err(|e| format!("cannot take the console out of maintenance: {e}"))?;
    Ok(())
}
