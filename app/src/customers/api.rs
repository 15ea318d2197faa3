//! Server functions for the profile header and the profile tab.

use super::model::{CustomerHeader, CustomerProfile};
use crate::error::AppError;
use leptos::prelude::*;

/// The header of customer `id`.
#[server]
pub async fn get_customer_header(id: String) -> Result<CustomerHeader, AppError> {
    crate::error::respond(
        async {
            let state = crate::state::app_state()?;
            super::db::header(&state.db, &id)
                .await?
                .ok_or_else(|| not_found(&id))
        }
        .await,
    )
}

/// The profile tab of customer `id`.
#[server]
pub async fn get_customer_profile(id: String) -> Result<CustomerProfile, AppError> {
    crate::error::respond(
        async {
            let state = crate::state::app_state()?;
            super::db::profile(&state.db, &id)
                .await?
                .ok_or_else(|| not_found(&id))
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("There is no customer with id {id}."))
}
