//! Server functions of the Data Privacy tab and the global log. Acting needs
//! privacy.request; reading the history needs privacy.request or privacy.view_log.

use super::model::{LogFilter, LogPage, PrivacyOverview};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// The privacy state and request history of customer `customer_id`.
#[server(endpoint = "get_privacy_overview")]
pub async fn get_privacy_overview(customer_id: String) -> Result<PrivacyOverview, AppError> {
    crate::error::respond(async {
        let user = crate::auth::guard::signed_in()?;
        service::overview(&crate::state::app_state()?, &user, customer_id).await
    })
    .await
}

/// Restricts processing of the customer's data (GDPR art. 18), for `reason`.
#[server(endpoint = "restrict_processing")]
pub async fn restrict_processing(customer_id: String, reason: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::PrivacyRequest)?;
        service::set_restricted(
            &crate::state::app_state()?,
            &user,
            customer_id,
            reason,
            true,
        )
        .await
    })
    .await
}

/// Lifts the restriction, for `reason`.
#[server(endpoint = "reinstate_processing")]
pub async fn reinstate_processing(customer_id: String, reason: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::PrivacyRequest)?;
        service::set_restricted(
            &crate::state::app_state()?,
            &user,
            customer_id,
            reason,
            false,
        )
        .await
    })
    .await
}

/// Removes the customer and all their data (GDPR art. 17) once `confirmation` is `FORGET`;
/// returns what was removed, e.g. `1 customer, 1,234 events, …`.
#[server(endpoint = "forget_customer")]
pub async fn forget_customer(
    customer_id: String,
    confirmation: String,
) -> Result<String, AppError> {
    crate::error::respond(async {
        let user = require(Permission::PrivacyRequest)?;
        service::forget(
            &crate::state::app_state()?,
            &user,
            customer_id,
            confirmation,
        )
        .await
    })
    .await
}

/// One page of every data-privacy request, filtered.
#[server(endpoint = "list_privacy_requests")]
pub async fn list_privacy_requests(filter: Option<LogFilter>) -> Result<LogPage, AppError> {
    crate::error::respond(async {
        crate::auth::guard::require(crate::auth::Permission::PrivacyViewLog)?;
        let state = crate::state::app_state()?;
        let zone = state.time_zone.get();
        Ok(super::db::log(&state.db, &filter.unwrap_or_default(), &zone).await?)
    })
    .await
}
