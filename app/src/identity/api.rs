//! Server functions of a customer's identifier list on the Profile tab.

use super::model::{CaseClash, HeldIdentifier};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Every identifier of customer `customer_id` (email and phone masked without
/// customers.view_pii).
#[server(endpoint = "list_identifiers")]
pub async fn list_identifiers(customer_id: String) -> Result<Vec<HeldIdentifier>, AppError> {
    crate::error::respond(async {
        let user = require(Permission::CustomersSearch)?;
        service::list(&crate::state::app_state()?, &user, customer_id).await
    })
    .await
}

/// Adds an identifier of `kind` to the customer; `primary` ("on") makes it the primary one.
#[server(endpoint = "add_identifier")]
pub async fn add_identifier(
    customer_id: String,
    kind: String,
    value: String,
    primary: Option<String>,
) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::ProfileEdit)?;
        let state = crate::state::app_state()?;
        service::add(&state, &user, customer_id, kind, value, primary.is_some()).await
    })
    .await
}

/// Removes the customer's identifier `key` of `kind`.
#[server(endpoint = "remove_identifier")]
pub async fn remove_identifier(
    customer_id: String,
    kind: String,
    key: String,
) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::ProfileEdit)?;
        service::remove(&crate::state::app_state()?, &user, customer_id, kind, key).await
    })
    .await
}

/// Makes the customer's identifier `key` the primary one of `kind`.
#[server(endpoint = "make_identifier_primary")]
pub async fn make_identifier_primary(
    customer_id: String,
    kind: String,
    key: String,
) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::ProfileEdit)?;
        service::make_primary(&crate::state::app_state()?, &user, customer_id, kind, key).await
    })
    .await
}

/// Whether external ids match whatever their case (for the settings screen).
#[server(endpoint = "external_id_case")]
pub async fn external_id_case() -> Result<bool, AppError> {
    crate::error::respond(async {
        require(Permission::SettingsManage)?;
        service::external_ids_ignore_case(&crate::state::app_state()?).await
    })
    .await
}

/// The external ids that differ only in case, with their holders (what stops ignoring case).
#[server(endpoint = "external_id_case_clashes")]
pub async fn external_id_case_clashes() -> Result<Vec<CaseClash>, AppError> {
    crate::error::respond(async {
        require(Permission::SettingsManage)?;
        service::case_clashes(&crate::state::app_state()?).await
    })
    .await
}

/// Makes external ids match whatever their case (`ignore_case` = "on") or only exactly.
#[server(endpoint = "set_external_id_case")]
pub async fn set_external_id_case(ignore_case: Option<String>) -> Result<bool, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
        service::set_external_id_case(&state, &user, ignore_case.as_deref() == Some("on")).await
    })
    .await
}
