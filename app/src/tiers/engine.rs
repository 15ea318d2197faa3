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
    let Some(state) = db::state(db, id).await? else {
        return Ok(None);
    };
    if state.restricted_at.is_some() {
        return Ok(None);
    }
    let rules = db::rules(db).await?;
    let points = db::qualifying_points(db, id, now - rules.window_ms()).await?;
    let decision = decide(
        &rules,
        state.tier.as_deref(),
        state.tier_expires_at,
        points,
        now,
    );
    if decision == Decision::Stay {
        return Ok(None);
    }
    let mut tx = db.pool().begin().await?;
    db::apply(
        &mut tx,
        id,
        &decision,
        state.tier.as_deref(),
        now,
        rules.validity_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(decision))
}

/// Applies the rules to customers whose tier expired by `now`; the customers whose tier
/// changed.
pub async fn expire_due(db: &Db, now: i64) -> Result<Vec<String>, sqlx::Error> {
    let mut changed = Vec::new();
    loop {
        let due = db::expired(db, now, EXPIRY_BATCH).await?;
        for id in &due {
            if let Some(Decision::Promote { .. } | Decision::Demote { .. }) =
                evaluate(db, id, now).await?
            {
                changed.push(id.clone());
            }
        }
        if (due.len() as i64) < EXPIRY_BATCH {
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
