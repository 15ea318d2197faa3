//! The use cases behind the server functions of this feature.

use super::template::EventTypeDef;
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::events::template::field_list;
use crate::events::{check_type_name, db};
use crate::state::AppState;
use serde_json::json;

/// An event type as the settings form sends it: lists are comma-separated payload keys.
pub struct EventTypeForm {
    /// The type's name (new types only; built-ins keep theirs).
    pub name: String,
    /// Free-text grouping, 1 to 40 characters.
    pub category: String,
    /// The stream's one-line summary, with `{key}` placeholders.
    pub summary_template: String,
    /// Payload keys shown in the detail view.
    pub detail_fields: String,
    /// Payload keys an ingested event must carry (new types only).
    pub required_fields: String,
    /// True to add a new custom type, false to edit an existing one.
    pub custom: bool,
}

/// Adds a custom event type or edits one (built-in or custom), audited.
pub async fn save(
    state: &AppState,
    admin: &CurrentUser,
    form: EventTypeForm,
) -> Result<EventTypeDef, AppError> {
    let EventTypeForm {
        name,
        category,
        summary_template,
        detail_fields,
        required_fields,
        custom,
    } = form;
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
                format!(
                    "“{bad}” is not a payload key: use lower-case letters, digits and underscores."
                ),
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
    let mut change = Change::begin(state, admin).await?;
    db::save_type(&mut **change.tx(), &def, crate::time::now_millis()).await?;
    change
        .audit("event_type.save", |r| {
            r.subject(&def.name).change(json!(existing), json!(def))
        })
        .await?;
    change.commit().await?;
    Ok(def)
}
