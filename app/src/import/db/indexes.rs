//! SQL for setting the search indexes of `customers` (and the duplicate finder's index of
//! `customer_identifiers`) aside during a large customers import and building them again after: each dropped index is recorded in the transaction that drops it,
//! so that whatever ends the run (its end, a stop, an error, a crash followed by a start-up)
//! finds what to build.

use crate::store::{Backend, Db};
use sqlx::{Connection, Executor};

/// Drops every index of `customers` and `customer_identifiers` but the unique ones (their
/// keys, one primary identifier of a kind) and records each; how many. Nothing when they are aside already.
pub async fn set_aside(db: &Db) -> Result<usize, sqlx::Error> {
    let catalogue = match db.backend() {
        Backend::Sqlite => {
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
             AND tbl_name IN ('customers', 'customer_identifiers') AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
        }
        Backend::Postgres => {
            "SELECT CAST(indexname AS TEXT), indexdef FROM pg_indexes WHERE schemaname = current_schema() \
             AND tablename IN ('customers', 'customer_identifiers') AND indexdef NOT LIKE 'CREATE UNIQUE%'"
        }
    };
    let mut tx = db.begin_write().await?;
    let found: Vec<(String, String)> = sqlx::query_as(catalogue).fetch_all(&mut *tx).await?;
    for (name, definition) in &found {
        sqlx::query(
            "INSERT INTO import_dropped_indexes (name, definition) VALUES ($1, $2) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(definition)
        .execute(&mut *tx)
        .await?;
        // Another run that read the catalogue at the same time (PostgreSQL) may have dropped
        // it first: then it is recorded once and gone either way.
        tx.execute(format!("DROP INDEX IF EXISTS {}", quoted(name)).as_str())
            .await?;
    }
    tx.commit().await?;
    Ok(found.len())
}

/// Builds every index set aside again (each once, whatever another run did meanwhile) and
/// forgets it; how many.
pub async fn restore(db: &Db) -> Result<usize, sqlx::Error> {
    let aside: Vec<(String, String)> =
        sqlx::query_as("SELECT name, definition FROM import_dropped_indexes ORDER BY name")
            .fetch_all(db.pool())
            .await?;
    if aside.is_empty() {
        return Ok(0);
    }
    let mut connection = db.writer().acquire().await?;
    db.sort_on_disk(&mut connection, true).await?;
    if db.backend() == Backend::Postgres {
        // A sort in memory rather than in many temporary files.
        connection
            .execute("SET maintenance_work_mem = '256MB'")
            .await?;
    }
    for (name, definition) in &aside {
        let build = definition.replacen("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1);
        let mut tx = connection.begin_with(db.backend().begin_write()).await?;
        tx.execute(build.as_str()).await?;
        sqlx::query("DELETE FROM import_dropped_indexes WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    if db.backend() == Backend::Postgres {
        connection.execute("RESET maintenance_work_mem").await?;
    }
    db.sort_on_disk(&mut connection, false).await?;
    Ok(aside.len())
}

/// `name` as an SQL identifier (the catalogue's names are the schema's own, quoted anyway).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
