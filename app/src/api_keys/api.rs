//! Server functions of the API keys screen (permission settings.manage).

use super::model::{ApiKeySummary, NewApiKey, NewKeyForm};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Every API key, newest first (never their secrets).
#[server(endpoint = "list_api_keys")]
pub async fn list_api_keys() -> Result<Vec<ApiKeySummary>, AppError> {
    crate::error::respond(async {
        crate::auth::guard::require(crate::auth::Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
        Ok(super::db::list(&state.db).await?)
    })
    .await
}

/// Creates a key from the New key form; the answer is the only time a secret key is shown.
#[server(endpoint = "create_api_key")]
pub async fn create_api_key(form: NewKeyForm) -> Result<NewApiKey, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::create(&crate::state::app_state()?, &user, form).await
    })
    .await
}

/// Replaces the limits (event types, origins, rate) of publishable key `id`.
#[server(endpoint = "update_api_key_limits")]
pub async fn update_api_key_limits(
    id: String,
    form: NewKeyForm,
) -> Result<ApiKeySummary, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::update_limits(&crate::state::app_state()?, &user, id, form).await
    })
    .await
}

/// Revokes key `id`: requests with it are refused from now on.
#[server(endpoint = "revoke_api_key")]
pub async fn revoke_api_key(id: String) -> Result<ApiKeySummary, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::revoke(&crate::state::app_state()?, &user, id).await
    })
    .await
}
