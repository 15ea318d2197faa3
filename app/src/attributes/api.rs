//! Server functions of the custom profile attributes screen.

use super::model::AttributeType;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Every declared attribute (anyone who may search: the advanced search offers them).
#[server(endpoint = "list_attribute_types")]
pub async fn list_attribute_types() -> Result<Vec<AttributeType>, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::list(&crate::state::app_state()?).await
    })
    .await
}

/// Declares an attribute.
#[server(endpoint = "add_attribute_type")]
pub async fn add_attribute_type(name: String, label: String, kind: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::add(&crate::state::app_state()?, &user, name, label, kind).await
    })
    .await
}

/// Removes an unused attribute's declaration.
#[server(endpoint = "remove_attribute_type")]
pub async fn remove_attribute_type(name: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::remove(&crate::state::app_state()?, &user, name).await
    })
    .await
}
