//! Applying the tier rules: to a customer whose points moved, and to every customer whose
//! tier expired (a job).

use super::db;
use super::model::{decide, Decision};
use crate::store::Db;
use std::time::Duration;

/// How often the expiry job looks for expired tiers.
const EXPIRY_TICK: Duration = Duration::from_secs(600);
/// Customers the expiry job handles per pass.
const EXPIRY_BATCH: i64 = 1_000;

/// Applies the rules to customer `id` at `now`; the decision, or `None` when nothing changed
/// (or processing is restricted: a restricted customer advances no tier).
pub async fn evaluate(db: &Db, id: &str, now: i64) -> Result<Option<Decision>, sqlx::Error> {
    let mut decisions = evaluate_many(db, &[id.to_string()], now).await?;
    Ok(decisions.pop().map(|(_, d)| d))
}

/// Applies the rules to the customers in `ids` at `now` with one read for all of them (the
/// ingest API calls it per batch); the customers whose tier changed or renewed, with the
/// decision. Callers that already committed their own change log a failure here rather than
/// fail: the next points event or the expiry job applies the rules again.
pub async fn evaluate_many(
    db: &Db,
    ids: &[String],
    now: i64,
) -> Result<Vec<(String, Decision)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rules = db::rules(db).await?;
    let mut changed = Vec::new();
    for (id, state, points) in db::states_and_points(db, ids, now - rules.window_ms()).await? {
        if state.restricted_at.is_some() {
            continue;
        }
        let decision = decide(
            &rules,
            state.tier.as_deref(),
            state.tier_expires_at,
            points,
            now,
        );
        if decision == Decision::Stay {
            continue;
        }
        let mut tx = db.pool().begin().await?;
        let moved = db::apply(
            &mut tx,
            &id,
            &decision,
            (state.tier.as_deref(), state.tier_expires_at),
            now,
            rules.validity_ms(),
        )
        .await?;
        tx.commit().await?;
        if moved.is_some() || decision == Decision::Renew {
            changed.push((id, decision));
        }
    }
    Ok(changed)
}

/// Applies the rules to customers whose tier expired by `now`; the customers whose tier
/// changed.
pub async fn expire_due(db: &Db, now: i64) -> Result<Vec<String>, sqlx::Error> {
    let mut changed = Vec::new();
    loop {
        let due = db::expired(db, now, EXPIRY_BATCH).await?;
        let decided = evaluate_many(db, &due, now).await?;
        // A tier the rules leave alone stays due: stop when a pass changes nothing.
        let stuck = decided.is_empty();
        for (id, decision) in decided {
            if matches!(decision, Decision::Promote { .. } | Decision::Demote { .. }) {
                changed.push(id);
            }
        }
        if (due.len() as i64) < EXPIRY_BATCH || stuck {
            return Ok(changed);
        }
    }
}

/// Runs [`expire_due`] now and every ten minutes, telling open profiles of changes.
pub fn schedule_expiry(db: Db, live: crate::activity::LiveHub) {
    tokio::spawn(async move {
        loop {
            match expire_due(&db, crate::time::now_millis()).await {
                Ok(changed) => changed.iter().for_each(|id| live.publish(id)),
                Err(e) => tracing::error!(error = %e, "tier expiry failed"),
            }
            tokio::time::sleep(EXPIRY_TICK).await;
        }
    });
}
