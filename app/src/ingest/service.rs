//! The ingest pipeline, a named step each: validate (each event against its type's schema),
//! match and enrich (find each event's customer, add store and product details, drop repeats),
//! store (events and projections in one [`Change`] by the sender), publish (the change's
//! commit tells the customers' open profiles).

use super::db;
use super::envelope::Checked;
use super::matching::{self, Prepared, Stored};
use super::model::{EventResult, FieldError, IngestReport, Outcome};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::events::NewEvent;
use crate::state::AppState;
use serde_json::Value;

/// Validates and stores `events` received at `now` from `sender`; a sender limited to
/// `allowed_types` (a publishable key) has other types refused and gets the answer that does
/// not tell what is stored about customers ([`IngestReport::for_browser`]).
pub async fn ingest(
    state: &AppState,
    sender: &CurrentUser,
    events: Vec<Value>,
    now: i64,
    allowed_types: Option<&[String]>,
) -> Result<IngestReport, AppError> {
    let report = run(state, sender, events, now, allowed_types, true).await?;
    Ok(match allowed_types {
        Some(_) => report.for_browser(),
        None => report,
    })
}

/// What [`ingest`] would answer for `events`, with nothing kept (an import's dry run): every
/// step runs in a change that is rolled back.
pub async fn check(
    state: &AppState,
    sender: &CurrentUser,
    events: Vec<Value>,
    now: i64,
) -> Result<IngestReport, AppError> {
    run(state, sender, events, now, None, false).await
}

/// Every step, the change committed when `keep` (else rolled back).
#[tracing::instrument(skip_all, fields(events = events.len()))]
async fn run(
    state: &AppState,
    sender: &CurrentUser,
    events: Vec<Value>,
    now: i64,
    allowed_types: Option<&[String]>,
    keep: bool,
) -> Result<IngestReport, AppError> {
    let batch = super::validated(&state.db, &events, now, allowed_types).await?;
    let settings = Settings::read(state).await?;
    let mut change = Change::begin_batch(state, sender).await?;
    let report = match_and_store(&mut change, &settings, batch, now).await?;
    if keep {
        change.commit().await?;
    } else {
        change.roll_back().await?;
    }
    Ok(report)
}

/// The settings storing reads, read before the change takes the writer (a read through the
/// pool while holding it could wait for a connection that waiting writers hold).
struct Settings {
    tier_rules: crate::tiers::model::TierRules,
    external_ids_ignore_case: bool,
    citus: bool,
}

impl Settings {
    async fn read(state: &AppState) -> Result<Self, AppError> {
        Ok(Self {
            tier_rules: crate::tiers::db::rules(&state.db).await?,
            external_ids_ignore_case: crate::settings::db::external_ids_ignore_case(&state.db)
                .await?,
            citus: state.db.is_citus(),
        })
    }
}

/// Matches and enriches the valid events of `batch`, stores them in `change` (the customers
/// with new events marked as changed) and answers for each event of the batch, in order.
#[tracing::instrument(skip_all)]
async fn match_and_store(
    change: &mut Change<'_>,
    settings: &Settings,
    batch: Vec<Checked>,
    now: i64,
) -> Result<IngestReport, AppError> {
    let backend = change.backend();
    let Prepared {
        mut outcomes,
        events,
        refused,
    } = matching::prepare(
        backend,
        change.tx(),
        &batch,
        settings.external_ids_ignore_case,
        settings.citus,
        now,
    )
    .await?;
    let fresh: Vec<&NewEvent> = events.iter().map(|(_, e)| e).collect();
    let stored = db::store_events(
        change.tx(),
        &fresh,
        &settings.tier_rules,
        settings.citus,
        now,
    )
    .await?;
    db::count_refusals(change.tx(), &refused).await?;
    for customer in refused.keys() {
        change.customer_changed(customer);
    }
    for ((slot, event), result) in events.iter().zip(stored) {
        if result == Stored::Accepted {
            change.customer_changed(&event.customer_id);
        }
        outcomes[*slot] = Some(result.outcome(event));
    }
    Ok(answer(batch, outcomes))
}

/// The report: each event of `batch` with its outcome (one never reached reads "not processed").
fn answer(batch: Vec<Checked>, outcomes: Vec<Option<Outcome>>) -> IngestReport {
    let results = batch
        .into_iter()
        .zip(outcomes)
        .map(|(checked, outcome)| EventResult {
            index: checked.index,
            event_id: checked.event_id,
            outcome: outcome.unwrap_or(Outcome::Rejected {
                errors: vec![FieldError::new("", "not processed")],
            }),
        })
        .collect();
    IngestReport::new(results)
}
