//! Declaring and removing custom profile attributes (settings.manage), audited.

use super::db;
use super::model::{checked_name, AttributeKind, AttributeType};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use crate::time::now_millis;
use serde_json::json;

/// Every declared attribute.
pub async fn list(state: &AppState) -> Result<Vec<AttributeType>, AppError> {
    Ok(db::types(&state.db).await?)
}

/// Declares attribute `name` ("favourite_drink") read as `label` and holding `kind` values.
pub async fn add(
    state: &AppState,
    admin: &CurrentUser,
    name: String,
    label: String,
    kind: String,
) -> Result<(), AppError> {
    let name = checked_name(&name).map_err(|m| AppError::validation("name", m))?;
    let label = label.trim().to_string();
    if label.is_empty() || label.chars().count() > 80 {
        return Err(AppError::validation(
            "label",
            "Give it a label of 1 to 80 characters.",
        ));
    }
    let kind = AttributeKind::parse(&kind).ok_or_else(|| {
        AppError::validation(
            "kind",
            "Choose text, number, date, yes / no or web address.",
        )
    })?;
    let taken = "An attribute with this name exists already.";
    let mut change = Change::begin(state, admin).await?;
    db::add_type(change.tx(), &name, &label, kind, now_millis())
        .await
        .map_err(|e| AppError::taken_if_unique(e, "name", taken))?;
    change
        .audit("attributes.add", |r| {
            r.subject(&name)
                .change(json!(null), json!({"label": label, "kind": kind.as_str()}))
        })
        .await?;
    change.commit().await
}

/// Removes the declaration of `name`; refused while a customer holds a value.
pub async fn remove(state: &AppState, admin: &CurrentUser, name: String) -> Result<(), AppError> {
    let mut change = Change::begin(state, admin).await?;
    if !db::remove_unused_type(change.tx(), &name).await? {
        return Err(AppError::Conflict(
            "Customers hold values of this attribute (or it does not exist): it stays while \
             they do."
                .into(),
        ));
    }
    change
        .audit("attributes.remove", |r| r.subject(&name))
        .await?;
    change.commit().await
}
