//! The PostgreSQL side of a move: the bulk copy (`COPY … FROM STDIN`, text format), reading a
//! table back for its checksum, rows replaced by key, and the mark of a move not finished.

use super::checksum::Checksum;
use super::copy_text;
use super::schema::Table;
use super::{Kind, Value};
use futures::TryStreamExt;
use sqlx::postgres::{PgConnectOptions, PgRow};
use sqlx::{ConnectOptions, Connection, PgConnection, Row, SqliteConnection};
use std::collections::BTreeMap;
use std::str::FromStr;

/// A connection of the move's own to the target (its whole-table reads are slow statements
/// by design: not logged as such).
pub async fn connect(url: &str) -> Result<PgConnection, String> {
    let failed = |e: sqlx::Error| format!("cannot open the target: {e}");
    PgConnectOptions::from_str(url)
        .map_err(failed)?
        .disable_statement_logging()
        .connect()
        .await
        .map_err(failed)
}

/// Copies every row of `table` from the SQLite source into the target with one `COPY`, sent in
/// pieces of about a megabyte; `progress` hears the rows copied so far. The rows copied and
/// their checksum. Each table is read in one read transaction of its own (a row deleted and
/// added again meanwhile is read once), in runs of rows by rowid; SQLite's write-ahead log
/// grows while it is open and is checkpointed between tables. Rows changed meanwhile are the
/// change log's, carried at the end.
pub async fn copy_table(
    source: &mut SqliteConnection,
    target: &mut PgConnection,
    table: &Table,
    mut progress: impl FnMut(u64),
) -> Result<(u64, Checksum), String> {
    const PIECE: usize = 1 << 20;
    const RUN: usize = 20_000;
    let failed = |e: sqlx::Error| format!("cannot copy {}: {e}", table.name);
    let sql = format!(
        "SELECT rowid, {} FROM {} WHERE rowid > ? ORDER BY rowid LIMIT {RUN}",
        table.column_list(),
        table.name
    );
    let mut copy = target
        .copy_in_raw(&copy_statement(table))
        .await
        .map_err(failed)?;
    let (mut text, mut values) = (Vec::with_capacity(PIECE * 2), Vec::new());
    let (mut copied, mut checksum) = (0u64, Checksum::default());
    let mut after = i64::MIN;
    let mut snapshot = source.begin().await.map_err(failed)?;
    loop {
        let mut rows = sqlx::query(&sql).bind(after).fetch(&mut *snapshot);
        let mut read = 0;
        while let Some(row) = rows.try_next().await.map_err(failed)? {
            after = row.try_get(0).map_err(failed)?;
            super::source::values_of(&row, table, 1, &mut values).map_err(failed)?;
            checksum.add(&values);
            copy_text::write_row(&mut text, &values);
            (copied, read) = (copied + 1, read + 1);
            if text.len() >= PIECE {
                copy.send(std::mem::take(&mut text)).await.map_err(failed)?;
                text.reserve(PIECE * 2);
                progress(copied);
            }
        }
        if read < RUN {
            break;
        }
    }
    snapshot.rollback().await.map_err(failed)?;
    if !text.is_empty() {
        copy.send(text).await.map_err(failed)?;
    }
    copy.finish().await.map_err(failed)?;
    progress(copied);
    Ok((copied, checksum))
}

/// Reads every row of `table` from the target: how many and their checksum.
pub async fn checksum(pg: &mut PgConnection, table: &Table) -> Result<(u64, Checksum), String> {
    let sql = format!("SELECT {} FROM {}", read_columns(table), table.name);
    let mut rows = sqlx::query(&sql).fetch(pg);
    let mut values = Vec::with_capacity(table.columns.len());
    let failed = |e: sqlx::Error| format!("cannot read back {}: {e}", table.name);
    let (mut read, mut checksum) = (0u64, Checksum::default());
    while let Some(row) = rows.try_next().await.map_err(failed)? {
        values_of(&row, table, &mut values).map_err(failed)?;
        checksum.add(&values);
        read += 1;
    }
    Ok((read, checksum))
}

/// The row of `table` whose key is `key`, if there is one.
pub async fn row_by_key(
    pg: &mut PgConnection,
    table: &Table,
    key: &[Value],
) -> Result<Option<Vec<Value>>, String> {
    let failed = |e: sqlx::Error| format!("cannot read back a changed row of {}: {e}", table.name);
    let sql = format!(
        "SELECT {} FROM {} WHERE {}",
        read_columns(table),
        table.name,
        table.key_condition(true)
    );
    let query = bind_key(sqlx::query(&sql), table, key);
    let Some(row) = query.fetch_optional(pg).await.map_err(failed)? else {
        return Ok(None);
    };
    let mut values = Vec::new();
    values_of(&row, table, &mut values).map_err(failed)?;
    Ok(Some(values))
}

/// The number of rows of `table`.
pub async fn count(pg: &mut PgConnection, table: &Table) -> Result<u64, String> {
    let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", table.name))
        .fetch_one(pg)
        .await
        .map_err(|e| format!("cannot count {}: {e}", table.name))?;
    Ok(count as u64)
}

/// `table`'s columns as read back: whole numbers as BIGINT, whatever their width.
fn read_columns(table: &Table) -> String {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|(c, kind)| match kind {
            Kind::Int => format!("CAST({c} AS BIGINT)"),
            _ => c.clone(),
        })
        .collect();
    columns.join(", ")
}

/// The values of `row`, read as `table`'s columns.
fn values_of(row: &PgRow, table: &Table, values: &mut Vec<Value>) -> Result<(), sqlx::Error> {
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
        values.push(value?.unwrap_or(Value::Null));
    }
    Ok(())
}

/// The table that marks a target as holding a move not finished yet (outside the schema:
/// created by the move, dropped when it is done).
const MARKER: &str = "customer_profiles_move";

/// How far an unfinished move got: the change log's position it started from, and the tables
/// it copied with their rows and checksums.
#[derive(Debug, Default)]
pub struct Unfinished {
    /// The position of the source's change log the copy started from.
    pub position: Option<i64>,
    /// Each table copied: (rows, checksum of what was read).
    pub done: BTreeMap<String, (u64, Checksum)>,
}

/// Refuses a target that holds customers or platform users unless they are an unfinished
/// move's; how far that move got, if there is one.
pub async fn refuse_unless_empty(pg: &mut PgConnection) -> Result<Option<Unfinished>, String> {
    let failed = |e: sqlx::Error| format!("cannot read the target: {e}");
    let marker: Option<String> =
        sqlx::query_scalar(&format!("SELECT CAST(to_regclass('{MARKER}') AS TEXT)"))
            .fetch_one(&mut *pg)
            .await
            .map_err(failed)?;
    if marker.is_some() {
        let rows: Vec<(String, i64, String)> =
            sqlx::query_as(&format!("SELECT tbl, rows, checksum FROM {MARKER}"))
                .fetch_all(&mut *pg)
                .await
                .unwrap_or_default();
        let mut unfinished = Unfinished::default();
        for (table, rows, checksum) in rows {
            match (table.as_str(), Checksum::parse(&checksum)) {
                ("", _) => unfinished.position = Some(rows),
                (_, Some(checksum)) => {
                    unfinished.done.insert(table, (rows as u64, checksum));
                }
                _ => {}
            }
        }
        return Ok(Some(unfinished));
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
    Ok(None)
}

/// Marks the target as holding an unfinished move that copies from the change log's
/// `position`, then empties every table of `tables` (the defaults its migrations wrote, or an
/// interrupted move's rows).
pub async fn start_move(
    pg: &mut PgConnection,
    tables: &[Table],
    position: i64,
) -> Result<(), String> {
    let failed = |e: sqlx::Error| format!("cannot prepare the target: {e}");
    let sql = format!(
        "DROP TABLE IF EXISTS {MARKER}; \
         CREATE TABLE {MARKER} (tbl TEXT PRIMARY KEY, rows BIGINT NOT NULL, checksum TEXT NOT NULL); \
         INSERT INTO {MARKER} VALUES ('', {position}, '')"
    );
    sqlx::raw_sql(&sql)
        .execute(&mut *pg)
        .await
        .map_err(failed)?;
    empty(pg, tables).await
}

/// Empties every table of `tables` (and what refers to them).
pub async fn empty(pg: &mut PgConnection, tables: &[Table]) -> Result<(), String> {
    if tables.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    sqlx::query(&format!("TRUNCATE {} CASCADE", names.join(", ")))
        .execute(&mut *pg)
        .await
        .map_err(|e| format!("cannot prepare the target: {e}"))?;
    Ok(())
}

/// Records that `table` was copied: `rows` rows whose checksum is `checksum`.
pub async fn record_copied(
    pg: &mut PgConnection,
    table: &Table,
    (rows, checksum): (u64, Checksum),
) -> Result<(), String> {
    sqlx::query(&format!("INSERT INTO {MARKER} VALUES ($1, $2, $3)"))
        .bind(&table.name)
        .bind(rows as i64)
        .bind(checksum.to_string())
        .execute(pg)
        .await
        .map_err(|e| format!("cannot record the progress of the move: {e}"))?;
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

/// Deletes the row of `table` whose key is `key` (or every row when the table has no key).
pub async fn delete(pg: &mut PgConnection, table: &Table, key: &[Value]) -> Result<(), String> {
    let failed = |e: sqlx::Error| format!("cannot replace changed rows of {}: {e}", table.name);
    if table.key.is_empty() {
        let sql = format!("DELETE FROM {}", table.name);
        sqlx::query(&sql).execute(pg).await.map_err(failed)?;
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM {} WHERE {}",
        table.name,
        table.key_condition(true)
    );
    let query = bind_key(sqlx::query(&sql), table, key);
    query.execute(pg).await.map_err(failed)?;
    Ok(())
}

/// Writes `row` into `table`: added, or written over the row with its key (the key's columns
/// stay: on Citus one of them is the distribution column, which is never updated).
pub async fn upsert(pg: &mut PgConnection, table: &Table, row: &[Value]) -> Result<(), String> {
    let failed = |e: sqlx::Error| format!("cannot write changed rows of {}: {e}", table.name);
    let placeholders: Vec<String> = (1..=row.len()).map(|i| format!("${i}")).collect();
    let set: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(i, _)| !table.key.contains(i))
        .map(|(_, (c, _))| format!("{c} = EXCLUDED.{c}"))
        .collect();
    let on_conflict = if set.is_empty() {
        "DO NOTHING".to_string()
    } else {
        format!("DO UPDATE SET {}", set.join(", "))
    };
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) {on_conflict}",
        table.name,
        table.column_list(),
        placeholders.join(", "),
        table.key_columns().join(", ")
    );
    let mut query = sqlx::query(&sql);
    for (value, (_, kind)) in row.iter().zip(&table.columns) {
        query = bind(query, value, *kind);
    }
    query.execute(pg).await.map_err(failed)?;
    Ok(())
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// `query` with `key` bound as the values of `table`'s key columns.
fn bind_key<'q>(mut query: PgQuery<'q>, table: &Table, key: &[Value]) -> PgQuery<'q> {
    for (value, &i) in key.iter().zip(&table.key) {
        query = bind(query, value, table.columns[i].1);
    }
    query
}

/// `query` with `value` bound as a value of a column of `kind` (a NULL typed as the column).
fn bind<'q>(query: PgQuery<'q>, value: &Value, kind: Kind) -> PgQuery<'q> {
    match (value, kind) {
        (Value::Null, Kind::Int) => query.bind(None::<i64>),
        (Value::Null, Kind::Float) => query.bind(None::<f64>),
        (Value::Null, Kind::Text) => query.bind(None::<String>),
        (Value::Int(n), _) => query.bind(*n),
        (Value::Float(x), _) => query.bind(*x),
        (Value::Text(text), _) => query.bind(text.clone()),
    }
}
