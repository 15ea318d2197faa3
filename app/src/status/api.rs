//! Server function for changing a customer's status flag.

use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Sets the status of `customer_id` to the configured status `status_id`; writes a
/// `status_changed` event and an audit record in the same transaction.
#[server(endpoint = "change_status")]
pub async fn change_status(customer_id: String, status_id: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::StatusChange)?;
        service::change(&crate::state::app_state()?, &user, customer_id, status_id).await
    })
    .await
}
