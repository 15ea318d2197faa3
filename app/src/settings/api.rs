//! Server functions of the settings screen (permission settings.manage).

use super::model::OrgSettings;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// The organisation's settings.
#[server(endpoint = "get_settings")]
pub async fn get_settings() -> Result<OrgSettings, AppError> {
    crate::error::respond(async {
        require(Permission::SettingsManage)?;
        service::get(&crate::state::app_state()?).await
    })
    .await
}

/// The customer status types, for anyone who may add customers or change a status.
#[server(endpoint = "list_status_types")]
pub async fn list_status_types() -> Result<Vec<super::StatusType>, AppError> {
    crate::error::respond(async {
        crate::auth::guard::signed_in()?;
        let state = crate::state::app_state()?;
        Ok(super::db::status_types(&state.db).await?)
    })
    .await
}

/// Switches search between `exact` and `advanced`.
#[server(endpoint = "set_search_mode")]
pub async fn set_search_mode(mode: String) -> Result<OrgSettings, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::set_search_mode(&crate::state::app_state()?, &user, mode).await
    })
    .await
}

/// Sets the region phone numbers typed without a country code are read in.
#[server(endpoint = "set_phone_region")]
pub async fn set_phone_region(phone_region: String) -> Result<OrgSettings, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::set_phone_region(&crate::state::app_state()?, &user, phone_region).await
    })
    .await
}

/// Sets the organisation's currency.
#[server(endpoint = "set_currency")]
pub async fn set_currency(currency: String) -> Result<OrgSettings, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::set_currency(&crate::state::app_state()?, &user, currency).await
    })
    .await
}

/// Sets the time zone every page shows dates and times in.
#[server(endpoint = "set_time_zone")]
pub async fn set_time_zone(time_zone: String) -> Result<OrgSettings, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::set_time_zone(&crate::state::app_state()?, &user, time_zone).await
    })
    .await
}

/// Adds (empty `id`) or updates a customer status type.
#[server(endpoint = "save_status_type")]
pub async fn save_status_type(
    id: String,
    name: String,
    colour: String,
    sort_order: String,
    is_default: Option<String>,
) -> Result<OrgSettings, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::save_status_type(
            &crate::state::app_state()?,
            &user,
            id,
            name,
            colour,
            sort_order,
            is_default,
        )
        .await
    })
    .await
}
