//! Server functions of the access tools (permission access_tools.use).

use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Clears the customer's verified-phone state so the app asks them to verify again;
/// returns what to tell the agent.
#[server(endpoint = "reset_sms_verification")]
pub async fn reset_sms_verification(customer_id: String) -> Result<String, AppError> {
    crate::error::respond(async {
        let agent = require(Permission::AccessToolsUse)?;
        service::reset_sms(&crate::state::app_state()?, &agent, &customer_id).await
    })
    .await
}

/// Emails the customer a link to the brand's password-reset page; returns what to tell the
/// agent.
#[server(endpoint = "send_password_reset")]
pub async fn send_password_reset(customer_id: String) -> Result<String, AppError> {
    crate::error::respond(async {
        let agent = require(Permission::AccessToolsUse)?;
        service::password_reset(&crate::state::app_state()?, &agent, &customer_id).await
    })
    .await
}
