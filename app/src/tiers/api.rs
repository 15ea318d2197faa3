//! Server functions of the Tiers sub-tab and the tier rules settings.

use super::model::{TierRules, TierSummary};
use crate::error::AppError;
use leptos::prelude::*;

/// Customer `customer_id`'s tier summary and tier log.
#[server(endpoint = "get_tier_summary")]
pub async fn get_tier_summary(customer_id: String) -> Result<TierSummary, AppError> {
    crate::error::respond(server::summary(customer_id).await)
}

/// The tier rules (settings.manage).
#[server(endpoint = "get_tier_rules")]
pub async fn get_tier_rules() -> Result<TierRules, AppError> {
    crate::error::respond(server::get_rules().await)
}

/// Sets one level's threshold and benefits; thresholds must rise with the rank and the entry
/// tier's is 0.
#[server(endpoint = "save_tier_level")]
pub async fn save_tier_level(
    name: String,
    threshold_points: String,
    benefits: String,
) -> Result<TierRules, AppError> {
    crate::error::respond(server::save_level(name, threshold_points, benefits).await)
}

/// Sets the tier system's name, qualification window and validity (days).
#[server(endpoint = "save_tier_settings")]
pub async fn save_tier_settings(
    system_name: String,
    window_days: String,
    validity_days: String,
) -> Result<TierRules, AppError> {
    crate::error::respond(server::save_settings(system_name, window_days, validity_days).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::db;
    use super::super::model::{TierChange, TierRules, TierSummary};
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use serde_json::{json, Value};

    pub async fn summary(id: String) -> Result<TierSummary, AppError> {
        require(Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        let rules = db::rules(&state.db).await?;
        let now = crate::time::now_millis();
        let tier = db::state(&state.db, &id, now - rules.window_ms())
            .await?
            .ok_or_else(|| AppError::NotFound("No such customer.".into()))?;
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

    pub async fn get_rules() -> Result<TierRules, AppError> {
        require(Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
        Ok(db::rules(&state.db).await?)
    }

    fn whole(value: &str, field: &str, min: i64, max: i64, what: &str) -> Result<i64, AppError> {
        value
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|v| (min..=max).contains(v))
            .ok_or_else(|| {
                AppError::validation(field, format!("Enter {what} from {min} to {max}."))
            })
    }

    async fn save(
        admin: &crate::auth::CurrentUser,
        before: &TierRules,
        after: &TierRules,
    ) -> Result<TierRules, AppError> {
        let state = crate::state::app_state()?;
        let mut tx = state.db.begin_write().await?;
        db::save_rules(&mut tx, after).await?;
        Record::by(admin, "tiers.rules")
            .subject("tiers")
            .change(json!(before), json!(after))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(db::rules(&state.db).await?)
    }

    pub async fn save_level(
        name: String,
        threshold_points: String,
        benefits: String,
    ) -> Result<TierRules, AppError> {
        let admin = require(Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
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
        save(&admin, &before, &after).await
    }

    pub async fn save_settings(
        system_name: String,
        window_days: String,
        validity_days: String,
    ) -> Result<TierRules, AppError> {
        let admin = require(Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
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
        save(&admin, &before, &after).await
    }
}
