//! Server functions of the event-type registry: read by every signed-in user (the stream's
//! filters), changed by admins (settings.manage).

use super::template::EventTypeDef;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Every event type in effect: built-in ones (with admins' changes), then custom ones.
#[server(endpoint = "list_event_types")]
pub async fn list_event_types() -> Result<Vec<EventTypeDef>, AppError> {
    crate::error::respond(async {
        crate::auth::guard::signed_in()?;
        let state = crate::state::app_state()?;
        Ok(super::db::registry(&state.db).await?)
    })
    .await
}

/// Saves how type `name` is shown (`category`, `summary_template`, comma-separated
/// `detail_fields`); with `custom` set, adds the custom type `name` with its comma-separated
/// `required_fields`.
#[server(endpoint = "save_event_type")]
pub async fn save_event_type(
    name: String,
    category: String,
    summary_template: String,
    detail_fields: String,
    required_fields: Option<String>,
    custom: Option<String>,
) -> Result<EventTypeDef, AppError> {
    crate::error::respond(async {
        let admin = require(Permission::SettingsManage)?;
        let form = service::EventTypeForm {
            name,
            category,
            summary_template,
            detail_fields,
            required_fields: required_fields.unwrap_or_default(),
            custom: custom.is_some(),
        };
        service::save(&crate::state::app_state()?, &admin, form).await
    })
    .await
}
