//! `customer-profiles move --to URL`: carries everything an embedded SQLite installation holds
//! to an empty PostgreSQL or Citus database, which it migrates (and on Citus distributes)
//! first. It reads one snapshot of the source (the server may keep serving while it copies),
//! loads each table with one bulk `COPY`, then reads every table back and compares row counts
//! and checksums, refusing to call the move done on any difference. An interrupted move is
//! started again from the beginning by running the command again.

mod checksum;
mod copy_text;
mod db;

use app::store::{Backend, Db};
use checksum::Checksum;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use sqlx::{Connection, PgConnection, SqliteConnection};
use std::time::Instant;

/// Options of `move`.
#[derive(Debug, Args)]
pub struct MoveArgs {
    /// The database to move to: postgres://USER@HOST/DB (PostgreSQL or a Citus coordinator),
    /// empty or holding an unfinished move.
    #[arg(long)]
    pub to: String,
}

/// How a column's values are read and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// BIGINT or INTEGER.
    Int,
    /// DOUBLE PRECISION.
    Float,
    /// TEXT.
    Text,
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// NULL.
    Null,
    /// A whole number.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Text.
    Text(String),
}

/// One table moved: (name, rows, checksum).
type Moved = (String, u64, Checksum);

/// Moves the installation on `source` to `args.to`; a report of what moved.
pub async fn run(source: &Db, args: &MoveArgs) -> Result<String, String> {
    let started = Instant::now();
    if source.backend() != Backend::Sqlite {
        return Err("move reads an embedded SQLite installation: run it with \
                    --database-url sqlite://PATH"
            .into());
    }
    let target = Db::connect(&args.to).await?;
    if target.backend() != Backend::Postgres {
        return Err("move to a PostgreSQL or Citus database: --to postgres://USER@HOST/DB".into());
    }
    target.migrate().await?;
    let failed = |e: sqlx::Error| format!("cannot open the databases: {e}");
    let mut pg = PgConnection::connect(target.url()).await.map_err(failed)?;
    db::refuse_unless_empty(&mut pg).await?;
    let tables = db::tables(&mut pg).await?;
    let mut sqlite = SqliteConnection::connect(source.url())
        .await
        .map_err(failed)?;
    // One read transaction: every table is read from the same snapshot (WAL), while the server
    // goes on writing.
    let mut snapshot = sqlite.begin().await.map_err(failed)?;
    let mut counts = Vec::with_capacity(tables.len());
    for table in &tables {
        let rows = db::count_sqlite(&mut snapshot, &table.name)
            .await
            .map_err(|e| format!("the source cannot be read as the target's schema: {e}"))?;
        counts.push(rows as u64);
    }
    db::start_move(&mut pg, &tables).await?;
    let bar = progress_bar(counts.iter().sum());
    let mut moved = Vec::with_capacity(tables.len());
    for table in &tables {
        bar.set_message(table.name.clone());
        let before = bar.position();
        let (rows, checksum) = db::copy_table(&mut snapshot, &mut pg, table, |done| {
            bar.set_position(before + done)
        })
        .await?;
        moved.push((table.name.clone(), rows, checksum));
    }
    drop(snapshot);
    bar.finish_and_clear();
    verify(&mut pg, &tables, &moved).await?;
    db::finish_move(&mut pg).await?;
    target
        .after_bulk_load()
        .await
        .map_err(|e| format!("cannot analyse the moved tables: {e}"))?;
    Ok(report(&moved, started.elapsed().as_secs_f64(), &args.to))
}

/// Reads every table back from the target and compares it with what was copied.
async fn verify(
    pg: &mut PgConnection,
    tables: &[db::Table],
    moved: &[Moved],
) -> Result<(), String> {
    let mut differences = Vec::new();
    for (table, (name, rows, checksum)) in tables.iter().zip(moved) {
        let (read, read_checksum) = db::checksum_pg(pg, table).await?;
        if read != *rows {
            differences.push(format!("{name}: {rows} rows copied, {read} found"));
        } else if read_checksum != *checksum {
            differences.push(format!(
                "{name}: the rows differ (checksum {checksum} copied, {read_checksum} found)"
            ));
        }
    }
    if differences.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the move is not done: the target differs from the source.\n{}",
        differences.join("\n")
    ))
}

/// What moved, table by table, and how to start on the new database.
fn report(moved: &[Moved], seconds: f64, to: &str) -> String {
    let rows: u64 = moved.iter().map(|(_, rows, _)| rows).sum();
    let mut lines = vec![format!(
        "moved {rows} rows of {} tables in {seconds:.1} s ({:.0} rows/s); every table read back \
         and compared (rows and checksums):",
        moved.len(),
        rows as f64 / seconds.max(0.001)
    )];
    for (name, rows, checksum) in moved.iter().filter(|(_, rows, _)| *rows > 0) {
        lines.push(format!("  {name:<28} {rows:>12}  {checksum}"));
    }
    lines.push(format!(
        "Start the console on the new database:\n  customer-profiles --database-url '{to}' serve"
    ));
    lines.join("\n")
}

/// The progress bar over every row to copy: rows, rows a second, time left, the table.
fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {percent:>3}% {human_pos}/{human_len} rows · {per_sec} · {msg} · {eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
