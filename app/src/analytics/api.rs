//! Server functions of the analytics widgets and the analytics admin screen.

use super::model::{AnalyticsOverview, CustomerAnalytics};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Customer `customer_id`'s analytics: live RFM beside the base medians, and the scores and
/// likely next products of the last refresh.
#[server(endpoint = "get_customer_analytics")]
pub async fn get_customer_analytics(customer_id: String) -> Result<CustomerAnalytics, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::customer_analytics(&crate::state::app_state()?, customer_id).await
    })
    .await
}

/// The analytics admin screen.
#[server(endpoint = "get_analytics_overview")]
pub async fn get_analytics_overview() -> Result<AnalyticsOverview, AppError> {
    crate::error::respond(async {
        require(Permission::SettingsManage)?;
        service::overview(&crate::state::app_state()?).await
    })
    .await
}

/// Starts a refresh now; a conflict when one is already running.
#[server(endpoint = "refresh_analytics")]
pub async fn refresh_analytics() -> Result<AnalyticsOverview, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::refresh(&crate::state::app_state()?, &user).await
    })
    .await
}

/// Saves the CLV horizon (months), monthly discount rate (percent) and refresh interval
/// (hours); they apply from the next refresh.
#[server(endpoint = "save_analytics_settings")]
pub async fn save_analytics_settings(
    horizon_months: String,
    monthly_discount_percent: String,
    refresh_hours: String,
) -> Result<AnalyticsOverview, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::save_settings(
            &crate::state::app_state()?,
            &user,
            horizon_months,
            monthly_discount_percent,
            refresh_hours,
        )
        .await
    })
    .await
}
