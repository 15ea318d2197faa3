//! Server functions of third-party panels: the admin screen (settings.manage) and a profile's
//! panels (customers.search).

use super::model::{Panel, PanelForm, PanelView};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Every panel, and whether private addresses are allowed (development).
#[server(endpoint = "list_panels")]
pub async fn list_panels() -> Result<(Vec<Panel>, bool), AppError> {
    crate::error::respond(async {
        require(Permission::SettingsManage)?;
        service::list(&crate::state::app_state()?).await
    })
    .await
}

/// Adds a panel or changes one; its id.
#[server(endpoint = "save_panel")]
pub async fn save_panel(form: PanelForm) -> Result<String, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::save(&crate::state::app_state()?, &user, form).await
    })
    .await
}

/// Lets panels live on loopback and private addresses (development), or not.
#[server(endpoint = "set_panels_allow_private")]
pub async fn set_panels_allow_private(allow: bool) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::set_allow_private(&crate::state::app_state()?, &user, allow).await
    })
    .await
}

/// The active panels of customer `customer_id`, each answered or unavailable.
#[server(endpoint = "customer_panels")]
pub async fn customer_panels(customer_id: String) -> Result<Vec<PanelView>, AppError> {
    crate::error::respond(async {
        let user = require(Permission::CustomersSearch)?;
        service::for_customer(&crate::state::app_state()?, &user, &customer_id).await
    })
    .await
}
