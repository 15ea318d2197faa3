//! Historical events from NDJSON, in two steps. Reading: each line is checked and matched to
//! its customer exactly as the ingest API does, and the stored form of every valid event is
//! kept (in the batch's transaction, with the import's progress, so a resume starts after the
//! last batch kept). Storing: the kept events are stored a range of customers at a time, in
//! customer order, through the ingest API's own storage and projections. A backfill touches
//! customers at random; in file order each event would dirty a random page of every index of
//! `events` and of `customers`, which is what limits a large import, while in customer order
//! consecutive events share their pages.

use super::db::{self, staged, Progress};
use super::model::{ImportJob, ImportStatus, RowProblem};
use super::reader::{Cells, Row};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::events::NewEvent;
use crate::ingest::matching::{Prepared, Stored, REFUSED_WHILE_RESTRICTED};
use crate::ingest::model::{FieldError, Outcome};
use crate::state::AppState;
use crate::time::now_millis;
use serde_json::Value;
use sqlx::{Any, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Kept events stored per transaction in the second step (a customer's events are never
/// split, so a range can be larger).
pub const STORE_RANGE: i64 = 20_000;

/// Checks, matches and keeps one batch of lines (a dry run checks and stores them in a
/// transaction it rolls back, as the ingest API's answer would be), and records the outcome.
pub async fn read_batch(
    state: &AppState,
    user: &CurrentUser,
    job: &ImportJob,
    rows: Vec<Row>,
    (rows_done, bytes_done): (i64, i64),
) -> Result<(), AppError> {
    let mut problems = Vec::new();
    let mut numbers = Vec::with_capacity(rows.len());
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        match row.cells {
            Ok(Cells::Json(object)) => {
                numbers.push(row.number);
                events.push(Value::Object(object));
            }
            Ok(Cells::Csv(_)) => {
                problems.push(RowProblem::new(row.number, "", "must be one JSON object"))
            }
            Err(problem) => problems.push(problem),
        }
    }
    let mut progress = Progress {
        rows_done,
        bytes_done,
        rejected: problems.len() as i64,
        ..Progress::default()
    };
    let now = now_millis();
    let db = &state.db;
    if job.dry_run {
        if !events.is_empty() {
            let report = crate::ingest::service::check(state, user, events, now).await?;
            for result in report.results {
                let number = numbers.get(result.index).copied().unwrap_or_default();
                count(&mut progress, &mut problems, number, result.outcome);
            }
        }
        problems.sort_by_key(|p| p.row);
        let mut change = Change::begin(state, user).await?;
        db::record_batch(change.tx(), &job.id, &progress, &problems, now).await?;
        return change.commit().await;
    }
    let checked = crate::ingest::validated(db, &events, now, None).await?;
    let ignore_case = crate::settings::db::external_ids_ignore_case(db).await?;
    let mut change = Change::begin_batch(state, user).await?;
    let Prepared {
        outcomes,
        events: ready,
        refused,
    } = crate::ingest::matching::prepare(
        db.backend(),
        change.tx(),
        &checked,
        ignore_case,
        db.is_citus(),
        now,
    )
    .await?;
    for (slot, outcome) in outcomes.into_iter().enumerate() {
        if let Some(outcome) = outcome {
            count(&mut progress, &mut problems, numbers[slot], outcome);
        }
    }
    let kept: Vec<(i64, &NewEvent)> = ready
        .iter()
        .map(|(slot, event)| (numbers[*slot], event))
        .collect();
    progress.staged = kept.len() as i64;
    problems.sort_by_key(|p| p.row);
    crate::ingest::db::count_refusals(change.tx(), &refused).await?;
    for customer in refused.keys() {
        change.customer_changed(customer);
    }
    staged::keep(change.tx(), &job.id, &kept).await?;
    db::record_batch(change.tx(), &job.id, &progress, &problems, now).await?;
    change.commit().await
}

/// Adds one event's answer to the batch's counts and problems.
fn count(progress: &mut Progress, problems: &mut Vec<RowProblem>, row: i64, outcome: Outcome) {
    match outcome {
        Outcome::Accepted { .. } => progress.created += 1,
        // An import is not a publishable key: its answers are never redacted.
        Outcome::Duplicate { .. } | Outcome::Received {} => progress.unchanged += 1,
        Outcome::Rejected { errors } => {
            progress.rejected += 1;
            problems.extend(
                errors
                    .into_iter()
                    .map(|e| RowProblem::new(row, e.field, e.message)),
            );
        }
    }
}

/// The second step: stores the kept events range by range (going on after the last range
/// stored when resumed), calling `on_batch` after each; `true` once all are stored, `false`
/// when asked to stop. The kept events go once stored.
pub async fn store_kept(
    state: &AppState,
    user: &CurrentUser,
    job: &ImportJob,
    on_batch: &mut (dyn FnMut(&ImportJob) + Send),
) -> Result<bool, AppError> {
    let db = &state.db;
    let started = std::time::Instant::now();
    staged::sort_by_customer(db).await?;
    db::start_storing(db, &job.id).await?;
    tracing::info!(
        import = %job.id,
        sorted_in_ms = started.elapsed().as_millis() as u64,
        "events import: file read, storing the kept events by customer"
    );
    let tier_rules = crate::tiers::db::rules(db).await?;
    let mut after = db::stored_through(db, &job.id).await?;
    loop {
        let now = now_millis();
        let mut change = Change::begin_batch(state, user).await?;
        let kept = staged::next_range(change.tx(), &job.id, after.as_deref(), STORE_RANGE).await?;
        let Some(through) = kept.iter().map(|(_, e)| e.customer_id.clone()).max() else {
            staged::forget(change.tx(), &job.id).await?;
            change.commit().await?;
            tracing::info!(
                import = %job.id,
                stored_in_ms = started.elapsed().as_millis() as u64,
                "events import: kept events stored"
            );
            return Ok(true);
        };
        let handled = kept.len() as i64;
        let (progress, problems, customers) =
            store_range(change.tx(), kept, &tier_rules, db.is_citus(), now).await?;
        db::record_stored(
            change.tx(),
            &job.id,
            &progress,
            handled,
            &through,
            &problems,
            now,
        )
        .await?;
        for customer in &customers {
            change.customer_changed(customer);
        }
        change.commit().await?;
        after = Some(through);
        let now = db::job(db, &job.id)
            .await?
            .ok_or_else(|| ImportJob::not_found(&job.id))?;
        on_batch(&now);
        if now.status == ImportStatus::Stopping {
            return Ok(false);
        }
    }
}

/// Stores one range of kept events, each customer's oldest first, after checking again what
/// may have changed since the file was read: a customer merged into another since (their
/// events go to the survivor), deleted or forgotten (refused), or restricted (refused as the
/// ingest API refuses it). The counts, the refused rows, and the customers with new events.
async fn store_range(
    tx: &mut Transaction<'static, Any>,
    kept: Vec<(i64, NewEvent)>,
    tier_rules: &crate::tiers::model::TierRules,
    citus: bool,
    now: i64,
) -> Result<(Progress, Vec<RowProblem>, BTreeSet<String>), sqlx::Error> {
    let ids: Vec<String> = kept
        .iter()
        .map(|(_, e)| e.customer_id.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut restricted = staged::customers_now(tx, &ids).await?;
    let gone: Vec<String> = ids
        .into_iter()
        .filter(|id| !restricted.contains_key(id))
        .collect();
    let mut survivor = HashMap::new();
    for chunk in gone.chunks(500) {
        survivor.extend(crate::identity::db::survivors(tx, chunk).await?);
    }
    let survivors: Vec<String> = survivor.values().cloned().collect();
    for chunk in survivors.chunks(500) {
        restricted.extend(staged::customers_now(tx, chunk).await?);
    }
    let mut progress = Progress::default();
    let mut problems = Vec::new();
    let mut refused: BTreeMap<String, i64> = BTreeMap::new();
    let mut ready: Vec<(i64, NewEvent)> = Vec::with_capacity(kept.len());
    for (row, mut event) in kept {
        if let Some(to) = survivor.get(&event.customer_id) {
            event.customer_id = to.clone();
        }
        let outcome = match restricted.get(&event.customer_id) {
            None => Outcome::Rejected {
                errors: vec![FieldError::about_customer(
                    "customer",
                    "this customer was deleted or forgotten during the import",
                )],
            },
            Some(true) if REFUSED_WHILE_RESTRICTED.contains(&event.event_type.as_str()) => {
                *refused.entry(event.customer_id.clone()).or_insert(0) += 1;
                crate::ingest::matching::restricted_refusal()
            }
            Some(_) => {
                ready.push((row, event));
                continue;
            }
        };
        count(&mut progress, &mut problems, row, outcome);
    }
    ready.sort_by(|(row_a, a), (row_b, b)| {
        (&a.customer_id, a.occurred_at, row_a).cmp(&(&b.customer_id, b.occurred_at, row_b))
    });
    let (rows, events): (Vec<i64>, Vec<NewEvent>) = ready.into_iter().unzip();
    let refs: Vec<&NewEvent> = events.iter().collect();
    let results = crate::ingest::db::store_events(tx, &refs, tier_rules, citus, now).await?;
    let mut customers = BTreeSet::new();
    for ((row, event), result) in rows.into_iter().zip(&events).zip(results) {
        if result == Stored::Accepted {
            customers.insert(event.customer_id.clone());
        }
        count(&mut progress, &mut problems, row, result.outcome(event));
    }
    crate::ingest::db::count_refusals(tx, &refused).await?;
    problems.sort_by_key(|p| p.row);
    Ok((progress, problems, customers))
}
