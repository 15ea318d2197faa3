//! The use cases behind the server functions of this feature.

use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::notes::{check_body, db};
use crate::state::AppState;
use crate::time::now_millis;
use serde_json::json;
use sqlx::{Any, Transaction};

/// The configured reason named `reason` (empty means none).
async fn checked_reason(
    tx: &mut Transaction<'_, Any>,
    reason: &str,
) -> Result<Option<String>, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(None);
    }
    let known = db::reasons(&mut **tx).await?;
    if known.iter().any(|r| r.name == reason) {
        Ok(Some(reason.to_string()))
    } else {
        Err(AppError::validation(
            "reason",
            "Choose one of the configured reasons, or none.",
        ))
    }
}

fn no_note() -> AppError {
    AppError::NotFound("That note no longer exists; it may have been deleted.".into())
}

/// Adds a note to a customer, audited and published.
pub async fn add(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    reason: String,
    body: String,
) -> Result<(), AppError> {
    let body = check_body(&body).map_err(|m| AppError::validation("body", m))?;
    let mut change = Change::begin(state, agent).await?;
    if !db::customer_exists(change.tx(), &customer_id).await? {
        return Err(AppError::no_customer(&customer_id));
    }
    let reason = checked_reason(change.tx(), &reason).await?;
    let id = uuid::Uuid::now_v7().to_string();
    db::insert(
        change.tx(),
        &db::NewNote {
            id: &id,
            customer_id: &customer_id,
            reason: reason.as_deref(),
            body: &body,
            author_email: &agent.email,
            author_name: &agent.display_name,
            created_at: now_millis(),
        },
    )
    .await?;
    change
        .audit("notes.add", |r| {
            r.customer(&customer_id)
                .subject(&id)
                .change(json!(null), json!({"reason": reason, "body": body}))
        })
        .await?;
    change.commit().await?;
    Ok(())
}

/// Edits a note (its author, or a user who may manage notes), audited and published.
pub async fn edit(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    id: String,
    reason: String,
    body: String,
) -> Result<(), AppError> {
    let body = check_body(&body).map_err(|m| AppError::validation("body", m))?;
    let mut change = Change::begin(state, agent).await?;
    let before = db::get(change.tx(), &customer_id, &id)
        .await?
        .ok_or_else(no_note)?;
    let reason = checked_reason(change.tx(), &reason).await?;
    db::update(
        change.tx(),
        &customer_id,
        &id,
        reason.as_deref(),
        &body,
        &agent.display_name,
        now_millis(),
    )
    .await?;
    change
        .audit("notes.edit", |r| {
            r.customer(&customer_id).subject(&id).change(
                json!({"reason": before.reason, "body": before.body}),
                json!({"reason": reason, "body": body}),
            )
        })
        .await?;
    change.commit().await?;
    Ok(())
}

/// Deletes a note (its author, or a user who may manage notes), audited and published.
pub async fn delete(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    id: String,
) -> Result<(), AppError> {
    let mut change = Change::begin(state, agent).await?;
    let before = db::get(change.tx(), &customer_id, &id)
        .await?
        .ok_or_else(no_note)?;
    db::delete(change.tx(), &customer_id, &id).await?;
    change
        .audit("notes.delete", |r| {
            r.customer(&customer_id).subject(&id).change(
                json!({"reason": before.reason, "body": before.body, "author": before.author_name}),
                json!(null),
            )
        })
        .await?;
    change.commit().await?;
    Ok(())
}

/// Adds a note reason to the catalogue, audited.
pub async fn add_reason(
    state: &AppState,
    agent: &CurrentUser,
    name: String,
) -> Result<(), AppError> {
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::validation(
            "name",
            "Give the reason a name of 1 to 60 characters.",
        ));
    }
    let mut change = Change::begin(state, agent).await?;
    let existing = db::reasons(&mut **change.tx()).await?;
    if existing.iter().any(|r| r.name.eq_ignore_ascii_case(&name)) {
        return Err(AppError::validation(
            "name",
            format!("There is already a reason called “{name}”."),
        ));
    }
    let id = uuid::Uuid::now_v7().to_string();
    db::add_reason(change.tx(), &id, &name).await?;
    change
        .audit("settings.note_reason_add", |r| {
            r.subject(&id).change(json!(null), json!({"name": name}))
        })
        .await?;
    change.commit().await?;
    Ok(())
}

/// Removes a note reason from the catalogue, audited; notes keep their text.
pub async fn delete_reason(
    state: &AppState,
    agent: &CurrentUser,
    id: String,
) -> Result<(), AppError> {
    let mut change = Change::begin(state, agent).await?;
    if !db::delete_reason(change.tx(), &id).await? {
        return Err(AppError::NotFound("That reason no longer exists.".into()));
    }
    change
        .audit("settings.note_reason_delete", |r| r.subject(&id))
        .await?;
    change.commit().await?;
    Ok(())
}
