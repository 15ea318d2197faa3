//! Server functions of likely duplicates.

use super::model::{DuplicatePage, Suggestion};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// The customers who may be the same person as customer `customer_id`, each with why
/// (matched values masked without customers.view_pii).
#[server(endpoint = "possible_duplicates")]
pub async fn possible_duplicates(customer_id: String) -> Result<Vec<Suggestion>, AppError> {
    crate::error::respond(async {
        let user = require(Permission::CustomersSearch)?;
        service::suggestions(&crate::state::app_state()?, &user, customer_id).await
    })
    .await
}

/// One page of the organisation's likely duplicates sharing `reason` (`email`, `phone`,
/// `name_and_birth`, `name_and_postcode`), after `cursor`.
#[server(endpoint = "list_duplicates")]
pub async fn list_duplicates(
    reason: String,
    cursor: Option<String>,
) -> Result<DuplicatePage, AppError> {
    crate::error::respond(async {
        let user = require(Permission::CustomersMerge)?;
        service::list(&crate::state::app_state()?, &user, reason, cursor).await
    })
    .await
}
