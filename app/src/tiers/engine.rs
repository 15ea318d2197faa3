//! Applying the tier rules: to a customer whose points moved, and to every customer whose
//! tier expired (a job).

use super::db;
use super::model::{decide, Decision, TierRules};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use sqlx::{Any, Transaction};
use std::time::Duration;

/// How often the expiry job looks for expired tiers.
const EXPIRY_TICK: Duration = Duration::from_secs(600);
/// Customers the expiry job handles per pass.
const EXPIRY_BATCH: i64 = 1_000;

/// Applies `rules` at `now` to the customers `ids` inside `tx` (restricted customers advance
/// no tier); the customers whose tier changed. One read and a few writes for all of them.
pub async fn apply_rules(
    tx: &mut Transaction<'_, Any>,
    rules: &TierRules,
    ids: &[&str],
    now: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let states = db::states(tx, ids, now - rules.window_ms()).await?;
    let changes: Vec<db::Change> = states
        .iter()
        .filter(|s| s.restricted_at.is_none())
        .map(|s| db::Change {
            id: &s.id,
            from: s.tier.as_deref(),
            decision: decide(
                rules,
                s.tier.as_deref(),
                s.tier_expires_at,
                s.qualifying_points,
                now,
            ),
        })
        .filter(|c| c.decision != Decision::Stay)
        .collect();
    db::apply(tx, &changes, now, rules.validity_ms()).await?;
    Ok(changes
        .iter()
        .filter(|c| {
            matches!(
                c.decision,
                Decision::Promote { .. } | Decision::Demote { .. }
            )
        })
        .map(|c| c.id.to_string())
        .collect())
}

/// Applies the rules to customers whose tier expired by `now`, a batch per change by the
/// tier rules themselves (open profiles are told of each tier that moved); the customers
/// whose tier moved.
pub async fn expire_due(state: &AppState, now: i64) -> Result<Vec<String>, AppError> {
    let actor = CurrentUser::system("tier-rules", "Tier rules");
    let rules = db::rules(&state.db).await?;
    let mut moved = Vec::new();
    loop {
        let due = db::expired(&state.db, now, EXPIRY_BATCH).await?;
        let ids: Vec<&str> = due.iter().map(String::as_str).collect();
        let mut change = Change::begin(state, &actor).await?;
        for id in apply_rules(change.tx(), &rules, &ids, now).await? {
            change.customer_changed(&id);
            moved.push(id);
        }
        change.commit().await?;
        if (due.len() as i64) < EXPIRY_BATCH {
            return Ok(moved);
        }
    }
}

/// Runs [`expire_due`] now and every ten minutes.
pub fn schedule_expiry(state: AppState) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = expire_due(&state, crate::time::now_millis()).await {
                tracing::error!(error = %e, "tier expiry failed");
            }
            tokio::time::sleep(EXPIRY_TICK).await;
        }
    });
}
