//! Customers from a file, a batch at a time, in named steps: each row [`parse`]d into Add
//! Customer's fields, matched to the customer its identifiers find and settled ([`decide`],
//! [`decision`]: on top of the stored profile, through the same validation), then
//! [`write`]n — created, updated, or left alone when nothing differs. A row whose identifiers
//! point at two customers, or that repeats an identifier of an earlier row, is refused at that
//! column; nothing of a refused row is written, and its neighbours go in regardless.

mod decide;
mod decision;
mod parse;
pub mod values;
mod write;

pub use decide::Seen;

use crate::attributes::AttributeType;
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::import::db;
use crate::import::model::{ColumnMapping, ImportJob, Mapping};
use crate::import::reader::Row;
use crate::state::AppState;
use crate::time::now_millis;

/// What stays the same for every batch of one run.
pub struct Settings {
    /// The file's columns and what each fills (CSV), or the known keys (NDJSON, grown as
    /// lines name new ones).
    pub columns: Vec<(String, ColumnMapping)>,
    /// The saved mapping, for NDJSON keys not seen before.
    pub saved: Mapping,
    /// The declared profile attributes.
    pub declared: Vec<AttributeType>,
    /// For national phone numbers.
    pub region: String,
    /// External ids compared whatever their case.
    pub ignore_case: bool,
    /// On Citus: identifiers are looked up a shard at a time.
    pub citus: bool,
    /// The status of new customers.
    pub default_status: String,
    /// For the date-of-birth checks.
    pub today: chrono::NaiveDate,
    /// The file's name, for the events of created customers.
    pub file_name: String,
    /// When the run started: a customer written since was written by an earlier row.
    pub run_started: i64,
    /// A dry run (nothing is written, so earlier rows' identifiers are remembered in memory).
    pub dry_run: bool,
    /// The day/month order of the file's numeric dates, read from the whole column.
    pub date_order: values::DateOrder,
}

/// Settles and (unless a dry run) writes one batch of customers with the import's progress, in
/// one change. A unique violation (someone added one of these identifiers meanwhile) settles
/// the batch again, at most three times.
pub async fn run_batch(
    state: &AppState,
    user: &CurrentUser,
    job: &ImportJob,
    rows: Vec<Row>,
    settings: &mut Settings,
    seen: &mut Seen,
    (rows_done, bytes_done): (i64, i64),
) -> Result<(), AppError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let now = now_millis();
        let mut change = Change::begin_batch(state, user).await?;
        let mut batch = decide::decide(change.tx(), rows.clone(), settings, seen, now).await?;
        batch.progress.rows_done = rows_done;
        batch.progress.bytes_done = bytes_done;
        if job.dry_run {
            db::record_batch(change.tx(), &job.id, &batch.progress, &batch.problems, now).await?;
            change.commit().await?;
            seen.add(&batch);
            return Ok(());
        }
        let events = match write::write(change.tx(), &mut batch, settings, now).await {
            Ok(events) => events,
            Err(error) if attempt < 3 && is_unique_violation(&error) => continue,
            Err(error) => return Err(error.into()),
        };
        change.events(&events).await?;
        db::record_batch(change.tx(), &job.id, &batch.progress, &batch.problems, now).await?;
        return change.commit().await;
    }
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}
