//! SQL of a move: the target's tables in foreign-key order with their columns' kinds, reading a
//! table from the SQLite source, the bulk copy into PostgreSQL (`COPY … FROM STDIN`, text
//! format) and reading a table back for its checksum.

use super::checksum::Checksum;
use super::copy_text;
use super::{Kind, Value};
use futures::TryStreamExt;
use sqlx::{PgConnection, Row, SqliteConnection};
use std::collections::{BTreeMap, BTreeSet};

/// A table of the schema and its columns, in the order of the table's definition.
#[derive(Debug, Clone)]
pub struct Table {
    /// Its name.
    pub name: String,
    /// (column, kind).
    pub columns: Vec<(String, Kind)>,
}

impl Table {
    /// The column list, `a, b, c`.
    pub fn column_list(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|(c, _)| c.as_str()).collect();
        names.join(", ")
    }
}

/// The tables of the target's schema (the migrations' own table left out), each after every
/// table its foreign keys point at.
pub async fn tables(pg: &mut PgConnection) -> Result<Vec<Table>, String> {
    let failed = |e: sqlx::Error| format!("cannot read the target's schema: {e}");
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text \
         FROM information_schema.columns c JOIN information_schema.tables t \
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
         AND c.table_name NOT IN ('_sqlx_migrations', 'customer_profiles_move') ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(&mut *pg)
    .await
    .map_err(failed)?;
    let references: Vec<(String, String)> = sqlx::query_as(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint \
         WHERE contype = 'f' AND connamespace = 'public'::regnamespace",
    )
    .fetch_all(&mut *pg)
    .await
    .map_err(failed)?;
    let mut by_table: BTreeMap<String, Vec<(String, Kind)>> = BTreeMap::new();
    for (table, column, data_type) in columns {
        let kind = match data_type.as_str() {
            "bigint" | "integer" | "smallint" => Kind::Int,
            "double precision" | "real" => Kind::Float,
            "text" | "character varying" => Kind::Text,
            other => return Err(format!("{table}.{column}: a column of type {other}")),
        };
        by_table.entry(table).or_default().push((column, kind));
    }
    Ok(in_reference_order(by_table, &references))
}

/// `tables` ordered so that each comes after the tables it references (`(from, to)` pairs).
fn in_reference_order(
    mut tables: BTreeMap<String, Vec<(String, Kind)>>,
    references: &[(String, String)],
) -> Vec<Table> {
    let mut ordered = Vec::new();
    let mut placed = BTreeSet::new();
    while !tables.is_empty() {
        let ready: Vec<String> = tables
            .keys()
            .filter(|table| {
                references.iter().all(|(from, to)| {
                    from != *table
                        || to == *table
                        || placed.contains(to)
                        || !tables.contains_key(to)
                })
            })
            .cloned()
            .collect();
        // A cycle (none in this schema) would leave nothing ready: take the rest as they come.
        let next = if ready.is_empty() {
            tables.keys().cloned().collect()
        } else {
            ready
        };
        for name in next {
            if let Some(columns) = tables.remove(&name) {
                placed.insert(name.clone());
                ordered.push(Table { name, columns });
            }
        }
    }
    ordered
}

/// The number of rows of `table`.
pub async fn count_sqlite(source: &mut SqliteConnection, table: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(source)
        .await
}

/// Copies every row of `table` from the SQLite source into the target with one `COPY`, sent in
/// pieces of about a megabyte; `progress` hears the rows copied so far. The rows copied and
/// their checksum. SQLite's own conversions read each value as its column's kind.
pub async fn copy_table(
    source: &mut SqliteConnection,
    target: &mut PgConnection,
    table: &Table,
    mut progress: impl FnMut(u64),
) -> Result<(u64, Checksum), String> {
    const PIECE: usize = 1 << 20;
    let failed = |e: sqlx::Error| format!("cannot copy {}: {e}", table.name);
    let sql = format!("SELECT {} FROM {}", table.column_list(), table.name);
    let mut rows = sqlx::query(&sql).fetch(source);
    let mut copy = target
        .copy_in_raw(&copy_statement(table))
        .await
        .map_err(failed)?;
    let (mut text, mut values) = (Vec::with_capacity(PIECE * 2), Vec::new());
    let (mut copied, mut checksum) = (0u64, Checksum::default());
    while let Some(row) = rows.try_next().await.map_err(failed)? {
        values.clear();
        for (i, (_, kind)) in table.columns.iter().enumerate() {
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
            values.push(value.map_err(failed)?.unwrap_or(Value::Null));
        }
        checksum.add(&values);
        copy_text::write_row(&mut text, &values);
        copied += 1;
        if text.len() >= PIECE {
            copy.send(std::mem::take(&mut text)).await.map_err(failed)?;
            text.reserve(PIECE * 2);
            progress(copied);
        }
    }
    drop(rows);
    if !text.is_empty() {
        copy.send(text).await.map_err(failed)?;
    }
    copy.finish().await.map_err(failed)?;
    progress(copied);
    Ok((copied, checksum))
}

/// Reads every row of `table` from the target: how many and their checksum.
pub async fn checksum_pg(pg: &mut PgConnection, table: &Table) -> Result<(u64, Checksum), String> {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|(c, kind)| match kind {
            Kind::Int => format!("CAST({c} AS BIGINT)"),
            _ => c.clone(),
        })
        .collect();
    let sql = format!("SELECT {} FROM {}", columns.join(", "), table.name);
    let mut rows = sqlx::query(&sql).fetch(pg);
    let mut values = Vec::with_capacity(table.columns.len());
    let failed = |e: sqlx::Error| format!("cannot read back {}: {e}", table.name);
    let (mut read, mut checksum) = (0u64, Checksum::default());
    while let Some(row) = rows.try_next().await.map_err(failed)? {
        values.clear();
        for (i, (_, kind)) in table.columns.iter().enumerate() {
            let value = match kind {
                Kind::Int => row.try_get::<Option<i64>, _>(i).map(|v| v.map(Value::Int)),
                Kind::Float => row
                    .try_get::<Option<f64>, _>(i)
                    .map(|v| v.map(Value::Float)),
                Kind::Text => row
                    .try_get::<Option<String>, _>(i)
                    .map(|v| v.map(Value::Text)),
            };
            values.push(value.map_err(failed)?.unwrap_or(Value::Null));
        }
        checksum.add(&values);
        read += 1;
    }
    Ok((read, checksum))
}

/// The table that marks a target as holding a move not finished yet (outside the schema:
/// created by the move, dropped when it is done).
const MARKER: &str = "customer_profiles_move";

/// Refuses a target that holds customers or platform users unless they are an unfinished
/// move's.
pub async fn refuse_unless_empty(pg: &mut PgConnection) -> Result<(), String> {
    let failed = |e: sqlx::Error| format!("cannot read the target: {e}");
    let marker: Option<String> =
        sqlx::query_scalar(&format!("SELECT CAST(to_regclass('{MARKER}') AS TEXT)"))
            .fetch_one(&mut *pg)
            .await
            .map_err(failed)?;
    if marker.is_some() {
        eprintln!("the target holds a move that did not finish: starting it again");
        return Ok(());
    }
    let held: (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM users)")
            .fetch_one(&mut *pg)
            .await
            .map_err(failed)?;
    if held != (0, 0) {
        return Err(format!(
            "the target already holds {} customers and {} platform users: move into an empty \
             database",
            held.0, held.1
        ));
    }
    Ok(())
}

/// Marks the target as holding an unfinished move, then empties every table of `tables` (the
/// defaults its migrations wrote, or an interrupted move's rows).
pub async fn start_move(pg: &mut PgConnection, tables: &[Table]) -> Result<(), String> {
    let failed = |e: sqlx::Error| format!("cannot prepare the target: {e}");
    sqlx::query(&format!(
        "CREATE TABLE IF NOT EXISTS {MARKER} (started_at BIGINT)"
    ))
    .execute(&mut *pg)
    .await
    .map_err(failed)?;
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    sqlx::query(&format!("TRUNCATE {}", names.join(", ")))
        .execute(&mut *pg)
        .await
        .map_err(failed)?;
    Ok(())
}

/// Marks the move done.
pub async fn finish_move(pg: &mut PgConnection) -> Result<(), String> {
    sqlx::query(&format!("DROP TABLE IF EXISTS {MARKER}"))
        .execute(pg)
        .await
        .map_err(|e| format!("cannot mark the move done: {e}"))?;
    Ok(())
}

/// The `COPY` statement that loads `table` in text format.
pub fn copy_statement(table: &Table) -> String {
    format!("COPY {} ({}) FROM STDIN", table.name, table.column_list())
}
