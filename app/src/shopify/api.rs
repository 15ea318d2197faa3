//! Server functions of Admin → Integrations (permission settings.manage).

use super::model::{Delivery, SettingsForm, ShopifySettings};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// The Shopify settings (never the secret itself).
#[server(endpoint = "get_shopify_settings")]
pub async fn get_shopify_settings() -> Result<ShopifySettings, AppError> {
    crate::error::respond(async {
        require(Permission::SettingsManage)?;
        service::settings(&crate::state::app_state()?).await
    })
    .await
}

/// Saves the Shopify settings; an empty secret keeps the one set.
#[server(endpoint = "save_shopify_settings")]
pub async fn save_shopify_settings(form: SettingsForm) -> Result<ShopifySettings, AppError> {
    crate::error::respond(async {
        let admin = require(Permission::SettingsManage)?;
        service::save_settings(&crate::state::app_state()?, &admin, form).await
    })
    .await
}

/// The last 50 webhook deliveries, newest first.
#[server(endpoint = "list_shopify_deliveries")]
pub async fn list_shopify_deliveries() -> Result<Vec<Delivery>, AppError> {
    crate::error::respond(async {
        require(Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
        Ok(super::db::recent(&state.db, 50).await?)
    })
    .await
}
