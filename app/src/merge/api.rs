//! Server functions of merging: preview, merge, undo and a customer's merge history.

use super::model::{MergeDone, MergePreview, MergeRecord, UndoDone};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// What merging `absorbed_id` into `survivor_id` would do (nothing is written).
#[server(endpoint = "preview_merge")]
pub async fn preview_merge(
    survivor_id: String,
    absorbed_id: String,
) -> Result<MergePreview, AppError> {
    crate::error::respond(async {
        let user = require(Permission::CustomersMerge)?;
        service::preview(&crate::state::app_state()?, &user, survivor_id, absorbed_id).await
    })
    .await
}

/// Merges `absorbed_id` into `survivor_id` if neither changed since the preview (the
/// versions it showed). `keep_absorbed` is a JSON array of the field choices that take the
/// absorbed profile's value; `confirm_restricted` ("on") confirms merging a restricted
/// customer.
#[server(endpoint = "merge_customers")]
pub async fn merge_customers(
    survivor_id: String,
    absorbed_id: String,
    survivor_version: i64,
    absorbed_version: i64,
    keep_absorbed: Option<String>,
    confirm_restricted: Option<String>,
) -> Result<MergeDone, AppError> {
    crate::error::respond(async {
        let user = require(Permission::CustomersMerge)?;
        let keep_absorbed = super::model::parse_choices(keep_absorbed.as_deref())?;
        let request = service::MergeRequest {
            survivor_id,
            absorbed_id,
            survivor_version,
            absorbed_version,
            keep_absorbed,
            confirm_restricted: confirm_restricted.is_some(),
        };
        service::merge(&crate::state::app_state()?, &user, request).await
    })
    .await
}

/// Undoes merge `merge_id` of survivor `survivor_id`.
#[server(endpoint = "undo_merge")]
pub async fn undo_merge(survivor_id: String, merge_id: String) -> Result<UndoDone, AppError> {
    crate::error::respond(async {
        let user = require(Permission::CustomersMerge)?;
        service::undo(&crate::state::app_state()?, &user, survivor_id, merge_id).await
    })
    .await
}

/// The merges customer `customer_id` took part in, newest first.
#[server(endpoint = "merge_history")]
pub async fn merge_history(customer_id: String) -> Result<Vec<MergeRecord>, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::history(&crate::state::app_state()?, customer_id).await
    })
    .await
}
