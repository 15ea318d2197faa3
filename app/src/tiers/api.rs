//! Server functions of the Tiers sub-tab and the tier rules settings.

use super::model::{TierRules, TierSummary};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Customer `customer_id`'s tier summary and tier log.
#[server(endpoint = "get_tier_summary")]
pub async fn get_tier_summary(customer_id: String) -> Result<TierSummary, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::summary(&crate::state::app_state()?, customer_id).await
    })
    .await
}

/// The tier rules (settings.manage).
#[server(endpoint = "get_tier_rules")]
pub async fn get_tier_rules() -> Result<TierRules, AppError> {
    crate::error::respond(async {
        require(Permission::SettingsManage)?;
        service::get_rules(&crate::state::app_state()?).await
    })
    .await
}

/// Sets one level's threshold and benefits; thresholds must rise with the rank and the entry
/// tier's is 0.
#[server(endpoint = "save_tier_level")]
pub async fn save_tier_level(
    name: String,
    threshold_points: String,
    benefits: String,
) -> Result<TierRules, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::save_level(
            &crate::state::app_state()?,
            &user,
            name,
            threshold_points,
            benefits,
        )
        .await
    })
    .await
}

/// Sets the tier system's name, qualification window and validity (days).
#[server(endpoint = "save_tier_settings")]
pub async fn save_tier_settings(
    system_name: String,
    window_days: String,
    validity_days: String,
) -> Result<TierRules, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::save_settings(
            &crate::state::app_state()?,
            &user,
            system_name,
            window_days,
            validity_days,
        )
        .await
    })
    .await
}
