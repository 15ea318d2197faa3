//! `customer-profiles move --to URL`: carries everything an embedded SQLite installation holds
//! to an empty PostgreSQL or Citus database, which it migrates (and on Citus distributes)
//! first. Triggers log every row changed from the start; each table is copied with `COPY`
//! while the console keeps serving, then read back from the target and compared with the
//! checksum of what was read. Rounds of catching up carry what changed meanwhile, row by row,
//! each row compared. Then the source goes into maintenance (every change refused: ingest and
//! webhooks answer 503 with `Retry-After`), the last round is carried and every table's row
//! count compared. Any difference names its table and takes the source out of maintenance
//! again. A move killed mid-way resumes from the next table when run again.

mod checksum;
mod copy_text;
mod delta;
mod schema;
mod source;
mod target;

use app::store::{Backend, Db};
use checksum::Checksum;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use schema::Table;
use sqlx::{Connection, PgConnection, SqliteConnection};
use std::collections::BTreeMap;
use std::time::Instant;

/// Options of `move`.
#[derive(Debug, Args)]
pub struct MoveArgs {
    /// The database to move to: postgres://USER@HOST/DB (PostgreSQL or a Citus coordinator),
    /// empty or holding an unfinished move.
    #[arg(long)]
    pub to: String,
    /// Give up a move that was killed: take this installation out of maintenance and remove
    /// the move's change log, so the console serves on as before.
    #[arg(long)]
    pub cancel: bool,
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

/// One table moved: (name, rows).
type Moved = (String, u64);

/// Moves the installation on `source` to `args.to`; a report of what moved.
pub async fn run(source: &Db, args: &MoveArgs) -> Result<String, String> {
    let started = Instant::now();
    if source.backend() != Backend::Sqlite {
        return Err("move reads an embedded SQLite installation: run it with \
                    --database-url sqlite://PATH"
            .into());
    }
    if args.cancel {
        return cancel(source).await;
    }
    let target = Db::connect(&args.to).await?;
    if target.backend() != Backend::Postgres {
        return Err("move to a PostgreSQL or Citus database: --to postgres://USER@HOST/DB".into());
    }
    target.migrate().await?;
    let mut pg = target::connect(target.url()).await?;
    let unfinished = target::refuse_unless_empty(&mut pg).await?;
    let tables = schema::tables(&mut pg).await?;
    let mut sqlite = source::connect(source.url()).await?;
    // A move resumes where it stopped while the source still holds the log it started.
    let resume = match unfinished {
        Some(unfinished) if unfinished.position.is_some() => source::has_change_log(&mut sqlite)
            .await?
            .then_some(unfinished),
        _ => None,
    };
    source::install_change_log(&mut sqlite, &tables).await?;
    let carried = tokio::select! {
        carried = carry(&mut sqlite, &mut pg, &tables, resume) => carried,
        _ = tokio::signal::ctrl_c() => Err("the move was interrupted (Ctrl-C)".into()),
    };
    let moved = match carried {
        Ok(moved) => moved,
        Err(error) => {
            // The source serves on as it was.
            let _ = source::leave_maintenance(&mut sqlite).await;
            let _ = source::remove_change_log(&mut sqlite).await;
            return Err(format!(
                "{error}\nThe console serves on as before; run the move again to start over."
            ));
        }
    };
    // The change log stays in the retired source: dropping its triggers would change the
    // schema under the old console's cached statements (each would fail once).
    target::finish_move(&mut pg).await?;
    target
        .after_bulk_load()
        .await
        .map_err(|e| format!("cannot analyse the moved tables: {e}"))?;
    Ok(report(&moved, started.elapsed().as_secs_f64(), &args.to))
}

/// The move proper: every table copied (or, resuming, those not copied yet) and compared, the
/// changes caught up, then in maintenance the last changes and every table's count. What
/// moved, per table.
async fn carry(
    sqlite: &mut SqliteConnection,
    pg: &mut PgConnection,
    tables: &[Table],
    resume: Option<target::Unfinished>,
) -> Result<Vec<Moved>, String> {
    // Every change from the log's position on is in the log, so the tables need not be read
    // from one snapshot: a row that changed after it is written over at the end.
    let (mut position, done) = match resume.and_then(|u| Some((u.position?, u.done))) {
        Some((position, done)) => {
            eprintln!(
                "resuming the move: {} tables were copied before",
                done.len()
            );
            (position, done)
        }
        None => {
            let position = source::log_position(sqlite).await?;
            target::start_move(pg, tables, position).await?;
            (position, BTreeMap::new())
        }
    };
    let todo: Vec<Table> = tables
        .iter()
        .filter(|t| !done.contains_key(&t.name))
        .cloned()
        .collect();
    target::empty(pg, &todo).await?;
    let mut counts = Vec::with_capacity(todo.len());
    for table in &todo {
        counts.push(source::count(sqlite, &table.name).await?);
    }
    let bar = progress_bar(counts.iter().sum());
    let mut copied = Vec::with_capacity(tables.len());
    for table in tables {
        if let Some(done) = done.get(&table.name) {
            copied.push(*done);
            continue;
        }
        bar.set_message(table.name.clone());
        let before = bar.position();
        let done =
            target::copy_table(sqlite, pg, table, |done| bar.set_position(before + done)).await?;
        target::record_copied(pg, table, done).await?;
        copied.push(done);
    }
    bar.finish_and_clear();
    eprintln!("copied; reading every table back to compare");
    verify_copy(pg, tables, &copied).await?;
    // Catch up while the console still serves, until what is left is small: the pause then
    // only carries what arrived during the last round.
    let mut carried = 0;
    for _ in 0..CATCH_UP_ROUNDS {
        let (rows, next, _) = carry_changes(sqlite, pg, tables, position, false).await?;
        (carried, position) = (carried + rows, next);
        if rows < SMALL_DELTA {
            break;
        }
    }

    let paused = Instant::now();
    source::enter_maintenance(sqlite, app::time::now_millis()).await?;
    eprintln!("the console is in maintenance: carrying what changed last");
    let (rows, _, moved) = carry_changes(sqlite, pg, tables, position, true).await?;
    eprintln!(
        "{} rows changed during the copy were carried, {rows} of them while changes were \
         paused, for {:.1} s",
        carried + rows,
        paused.elapsed().as_secs_f64()
    );
    Ok(moved)
}

/// Rounds of catching up before the pause, at most.
const CATCH_UP_ROUNDS: usize = 5;

/// Changed rows few enough to carry while changes are paused.
const SMALL_DELTA: usize = 2_000;

/// Carries what the change log holds after `position` into the target in one transaction and
/// compares each of those rows on both sides, and with `last` every table's row count (read
/// in the same snapshot of the source): how many rows, the log's position then, and with
/// `last` the rows of each table.
async fn carry_changes(
    sqlite: &mut SqliteConnection,
    pg: &mut PgConnection,
    tables: &[Table],
    position: i64,
    last: bool,
) -> Result<(usize, i64, Vec<Moved>), String> {
    let failed = |e: sqlx::Error| format!("cannot read the source: {e}");
    let mut read = sqlite.begin().await.map_err(failed)?;
    let next = source::log_position(&mut read).await?;
    let delta = delta::Delta::of(source::changes_since(&mut read, position).await?);
    let current = delta.read(&mut read, tables).await?;
    let written = |e: sqlx::Error| format!("cannot write the target: {e}");
    let mut pg_tx = pg.begin().await.map_err(written)?;
    delta.apply(&current, &mut read, &mut pg_tx, tables).await?;
    pg_tx.commit().await.map_err(written)?;
    verify_delta(&mut read, pg, tables, &delta, &current).await?;
    let moved = if last {
        verify_counts(&mut read, pg, tables).await?
    } else {
        Vec::new()
    };
    Ok((delta.rows(), next, moved))
}

/// Takes `source` out of maintenance and removes the move's change log (after a move was
/// killed: Ctrl-C and errors do this themselves).
async fn cancel(source: &Db) -> Result<String, String> {
    let mut sqlite = source::connect(source.url()).await?;
    source::leave_maintenance(&mut sqlite).await?;
    source::remove_change_log(&mut sqlite).await?;
    Ok("the move was given up: the console is out of maintenance and serves on as before".into())
}

/// Reads every table back from the target and compares it with what the copy read from the
/// source (rows and checksum).
async fn verify_copy(
    pg: &mut PgConnection,
    tables: &[Table],
    copied: &[(u64, Checksum)],
) -> Result<(), String> {
    let mut differences = Vec::new();
    for (table, (rows, checksum)) in tables.iter().zip(copied) {
        let (read, read_checksum) = target::checksum(pg, table).await?;
        let name = &table.name;
        if read != *rows {
            differences.push(format!("{name}: {rows} rows copied, {read} found"));
        } else if read_checksum != *checksum {
            differences.push(format!(
                "{name}: the rows differ (checksum {checksum} copied, {read_checksum} found)"
            ));
        }
    }
    differ(differences)
}

/// Every changed row the target holds is the row `current` read from the source, and a table
/// copied again whole has the same checksum on both sides.
async fn verify_delta(
    sqlite: &mut SqliteConnection,
    pg: &mut PgConnection,
    tables: &[Table],
    delta: &delta::Delta,
    current: &[Vec<delta::Changed>],
) -> Result<(), String> {
    let mut differences = Vec::new();
    for (table, rows) in tables.iter().zip(current) {
        let name = &table.name;
        if delta.whole(table) {
            let (_, checksum) = source::checksum(sqlite, table).await?;
            let (_, read_checksum) = target::checksum(pg, table).await?;
            if checksum != read_checksum {
                differences.push(format!("{name}: the rows differ"));
            }
        }
        for (key, row) in rows {
            if target::row_by_key(pg, table, key).await? != *row {
                differences.push(format!("{name}: the row {key:?} differs"));
            }
        }
    }
    differ(differences)
}

/// Every table holds as many rows on both sides (in maintenance, nothing changes any more):
/// the rows of each table when they do.
async fn verify_counts(
    sqlite: &mut SqliteConnection,
    pg: &mut PgConnection,
    tables: &[Table],
) -> Result<Vec<Moved>, String> {
    let mut differences = Vec::new();
    let mut moved = Vec::with_capacity(tables.len());
    for table in tables {
        let name = &table.name;
        let rows = source::count(sqlite, name).await?;
        let read = target::count(pg, table).await?;
        if read != rows {
            differences.push(format!("{name}: {rows} rows in the source, {read} moved"));
        }
        moved.push((name.clone(), rows));
    }
    differ(differences)?;
    Ok(moved)
}

/// An error naming each difference, if there is any.
fn differ(differences: Vec<String>) -> Result<(), String> {
    if differences.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the move is not done: the target differs from the source, which serves on as before.\n{}",
        differences.join("\n")
    ))
}

/// What moved, table by table, and how to start on the new database.
fn report(moved: &[Moved], seconds: f64, to: &str) -> String {
    let rows: u64 = moved.iter().map(|(_, rows)| rows).sum();
    let mut lines = vec![format!(
        "moved {rows} rows of {} tables in {seconds:.1} s ({:.0} rows/s); every table read back \
         and compared (rows and checksums), then every row changed meanwhile:",
        moved.len(),
        rows as f64 / seconds.max(0.001)
    )];
    for (name, rows) in moved.iter().filter(|(_, rows)| *rows > 0) {
        lines.push(format!("  {name:<28} {rows:>12}"));
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
