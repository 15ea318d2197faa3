//! Server functions for the profile header and the profile tab.

use super::model::{CustomerHeader, CustomerProfile};
use crate::error::AppError;
use leptos::prelude::*;

/// The header of customer `id` (personal data masked without customers.view_pii).
#[server(endpoint = "get_customer_header")]
pub async fn get_customer_header(id: String) -> Result<CustomerHeader, AppError> {
    crate::error::respond(
        async {
            let user = require(Permission::CustomersSearch)?;
            let state = crate::state::app_state()?;
            let header = super::db::header(&state.db, &id, user.can(Permission::CustomersViewPii))
                .await?
                .ok_or_else(|| not_found(&id))?;
            state.recent.note(&state.db, &user.id, &id);
            Ok(header)
        }
        .await,
    )
}

/// The profile tab of customer `id` (personal data masked without customers.view_pii).
#[server(endpoint = "get_customer_profile")]
pub async fn get_customer_profile(id: String) -> Result<CustomerProfile, AppError> {
    crate::error::respond(
        async {
            let user = require(Permission::CustomersSearch)?;
            let state = crate::state::app_state()?;
            let profile = super::db::profile(&state.db, &id)
                .await?
                .ok_or_else(|| not_found(&id))?;
            Ok(if user.can(Permission::CustomersViewPii) {
                profile
            } else {
                profile.masked()
            })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
use crate::auth::{guard::require, Permission};

#[cfg(feature = "ssr")]
fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("There is no customer with id {id}."))
}
