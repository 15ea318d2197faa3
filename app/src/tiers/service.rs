//! The use cases behind the server functions of this feature.

use super::db;
use super::model::{TierChange, TierRules, TierSummary};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use serde_json::{json, Value};

/// A customer's tier, progress to the next one and tier history.
pub async fn summary(state: &AppState, id: String) -> Result<TierSummary, AppError> {
    let rules = db::rules(&state.db).await?;
    let now = crate::time::now_millis();
    let tier = db::state(&state.db, &id, now - rules.window_ms())
        .await?
        .ok_or_else(|| AppError::no_customer(&id))?;
    let log = db::log(&state.db, &id, 200)
        .await?
        .into_iter()
        .map(|(kind, at, payload, source)| {
            let v: Value = serde_json::from_str(&payload).unwrap_or(Value::Null);
            let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
            TierChange {
                at,
                kind,
                tier: text("tier").unwrap_or_default(),
                reason: text("reason"),
                source,
            }
        })
        .collect();
    Ok(TierSummary {
        rules,
        tier: tier.tier,
        since: tier.tier_since,
        expires_at: tier.tier_expires_at,
        qualifying_points: tier.qualifying_points,
        log,
    })
}

/// The tier levels and the qualification settings.
pub async fn get_rules(state: &AppState) -> Result<TierRules, AppError> {
    Ok(db::rules(&state.db).await?)
}

fn whole(value: &str, field: &str, min: i64, max: i64, what: &str) -> Result<i64, AppError> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|v| (min..=max).contains(v))
        .ok_or_else(|| AppError::validation(field, format!("Enter {what} from {min} to {max}.")))
}

async fn save(
    state: &AppState,
    admin: &crate::auth::CurrentUser,
    before: &TierRules,
    after: &TierRules,
) -> Result<TierRules, AppError> {
    let mut change = Change::begin(state, admin).await?;
    db::save_rules(change.tx(), after).await?;
    change
        .audit("tiers.rules", |r| {
            r.subject("tiers").change(json!(before), json!(after))
        })
        .await?;
    change.commit().await?;
    Ok(db::rules(&state.db).await?)
}

/// Adds or edits a tier level after checking its thresholds, audited.
pub async fn save_level(
    state: &AppState,
    admin: &CurrentUser,
    name: String,
    threshold_points: String,
    benefits: String,
) -> Result<TierRules, AppError> {
    let before = db::rules(&state.db).await?;
    let mut after = before.clone();
    let at = after
        .levels
        .iter()
        .position(|l| l.name == name)
        .ok_or_else(|| AppError::NotFound("No such tier.".into()))?;
    let threshold = whole(
        &threshold_points,
        "threshold_points",
        0,
        10_000_000,
        "a whole number of points",
    )?;
    if at == 0 && threshold != 0 {
        return Err(AppError::validation(
            "threshold_points",
            "The entry tier starts at 0 points.",
        ));
    }
    if at > 0 && threshold <= after.levels[at - 1].threshold_points {
        return Err(AppError::validation(
            "threshold_points",
            format!(
                "Must be above {}'s {} points.",
                after.levels[at - 1].name,
                after.levels[at - 1].threshold_points
            ),
        ));
    }
    if let Some(next) = after.levels.get(at + 1) {
        if threshold >= next.threshold_points {
            return Err(AppError::validation(
                "threshold_points",
                format!(
                    "Must be below {}'s {} points.",
                    next.name, next.threshold_points
                ),
            ));
        }
    }
    let benefits = benefits.trim().to_string();
    if benefits.is_empty() || benefits.chars().count() > 200 {
        return Err(AppError::validation(
            "benefits",
            "Describe the benefits in 1 to 200 characters.",
        ));
    }
    after.levels[at].threshold_points = threshold;
    after.levels[at].benefits = benefits;
    save(state, admin, &before, &after).await
}

/// Saves the tier qualification settings, audited.
pub async fn save_settings(
    state: &AppState,
    admin: &CurrentUser,
    system_name: String,
    window_days: String,
    validity_days: String,
) -> Result<TierRules, AppError> {
    let before = db::rules(&state.db).await?;
    let system_name = system_name.trim().to_string();
    if system_name.is_empty() || system_name.chars().count() > 60 {
        return Err(AppError::validation(
            "system_name",
            "Enter a name of 1 to 60 characters.",
        ));
    }
    let after = TierRules {
        system_name,
        window_days: whole(&window_days, "window_days", 1, 3_650, "a number of days")?,
        validity_days: whole(
            &validity_days,
            "validity_days",
            1,
            3_650,
            "a number of days",
        )?,
        ..before.clone()
    };
    save(state, admin, &before, &after).await
}
