//! Server functions of the event-type registry: read by every signed-in user (the stream's
//! filters), changed by admins (settings.manage).

use super::template::EventTypeDef;
use crate::error::AppError;
use leptos::prelude::*;

/// Every event type in effect: built-in ones (with admins' changes), then custom ones.
#[server(endpoint = "list_event_types")]
pub async fn list_event_types() -> Result<Vec<EventTypeDef>, AppError> {
    crate::error::respond(
        async {
            crate::auth::guard::signed_in()?;
            let state = crate::state::app_state()?;
            Ok(super::db::registry(&state.db).await?)
        }
        .await,
    )
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
    crate::error::respond(
        server::save(
            name,
            category,
            summary_template,
            detail_fields,
            required_fields.unwrap_or_default(),
            custom.is_some(),
        )
        .await,
    )
}

#[cfg(feature = "ssr")]
mod server {
    use super::EventTypeDef;
    use crate::activity::template::field_list;
    use crate::activity::{check_type_name, db};
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use serde_json::json;

    pub async fn save(
        name: String,
        category: String,
        summary_template: String,
        detail_fields: String,
        required_fields: String,
        custom: bool,
    ) -> Result<EventTypeDef, AppError> {
        let admin = require(Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
        let name = name.trim().to_string();
        let registry = db::registry(&state.db).await?;
        let existing = registry.iter().find(|t| t.name == name);
        match (custom, existing) {
            (true, Some(_)) => {
                return Err(AppError::validation(
                    "name",
                    "An event type with this name exists.",
                ))
            }
            (true, None) => check_type_name(&name).map_err(|m| AppError::validation("name", m))?,
            (false, None) => return Err(AppError::NotFound("No such event type.".into())),
            (false, Some(_)) => {}
        }
        let category = category.trim().to_string();
        if category.is_empty() || category.chars().count() > 40 {
            return Err(AppError::validation(
                "category",
                "Enter a category of 1 to 40 characters.",
            ));
        }
        let summary_template = summary_template.trim().to_string();
        if summary_template.is_empty() || summary_template.chars().count() > 200 {
            return Err(AppError::validation(
                "summary_template",
                "Enter a summary of 1 to 200 characters, e.g. Redeemed {reward}.",
            ));
        }
        let keys = |field: &'static str, text: &str| {
            let keys = field_list(text);
            match keys.iter().find(|k| check_type_name(k).is_err()) {
                Some(bad) => Err(AppError::validation(
                    field,
                    format!("“{bad}” is not a payload key: use lower-case letters, digits and underscores."),
                )),
                None => Ok(keys),
            }
        };
        let def = EventTypeDef {
            category,
            summary_template,
            detail_fields: keys("detail_fields", &detail_fields)?,
            required_fields: match existing {
                Some(known) => known.required_fields.clone(),
                None => keys("required_fields", &required_fields)?,
            },
            builtin: existing.is_some_and(|t| t.builtin),
            ingestible: existing.is_none_or(|t| t.ingestible),
            name,
        };
        let mut tx = state.db.begin_write().await?;
        db::save_type(&mut *tx, &def, crate::time::now_millis()).await?;
        Record::by(&admin, "event_type.save")
            .subject(&def.name)
            .change(json!(existing), json!(def))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(def)
    }
}
