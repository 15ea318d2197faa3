//! Server functions for notes (read: customers.search; write: notes.write) and note reasons
//! (settings.manage).

use super::model::{Note, NoteReason};
use crate::error::AppError;
use leptos::prelude::*;

/// The newest `limit` (at most 200) notes of `customer_id`, newest first.
#[server(endpoint = "list_notes")]
pub async fn list_notes(customer_id: String, limit: i64) -> Result<Vec<Note>, AppError> {
    crate::error::respond(
        async {
            crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
            let state = crate::state::app_state()?;
            Ok(super::db::list(&state.db, &customer_id, limit.clamp(1, 200)).await?)
        }
        .await,
    )
}

/// Adds a note to `customer_id`, filed under `reason` (a configured reason, or empty).
#[server(endpoint = "add_note")]
pub async fn add_note(customer_id: String, reason: String, body: String) -> Result<(), AppError> {
    crate::error::respond(server::add(customer_id, reason, body).await)
}

/// Replaces the reason and text of note `id`; the note shows it was edited, when and by whom.
#[server(endpoint = "edit_note")]
pub async fn edit_note(
    customer_id: String,
    id: String,
    reason: String,
    body: String,
) -> Result<(), AppError> {
    crate::error::respond(server::edit(customer_id, id, reason, body).await)
}

/// Deletes note `id`; the audit trail keeps its text.
#[server(endpoint = "delete_note")]
pub async fn delete_note(customer_id: String, id: String) -> Result<(), AppError> {
    crate::error::respond(server::delete(customer_id, id).await)
}

/// The configured note reasons, in order.
#[server(endpoint = "list_note_reasons")]
pub async fn list_note_reasons() -> Result<Vec<NoteReason>, AppError> {
    crate::error::respond(
        async {
            crate::auth::guard::signed_in()?;
            let state = crate::state::app_state()?;
            Ok(super::db::reasons(state.db.pool()).await?)
        }
        .await,
    )
}

/// Adds a note reason (settings.manage).
#[server(endpoint = "save_note_reason")]
pub async fn save_note_reason(name: String) -> Result<(), AppError> {
    crate::error::respond(server::add_reason(name).await)
}

/// Removes a note reason (settings.manage); notes filed under it keep the name.
#[server(endpoint = "delete_note_reason")]
pub async fn delete_note_reason(id: String) -> Result<(), AppError> {
    crate::error::respond(server::delete_reason(id).await)
}

#[cfg(feature = "ssr")]
mod server {
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use crate::notes::{check_body, db};
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

    fn no_customer(id: &str) -> AppError {
        AppError::NotFound(format!("There is no customer with id {id}."))
    }

    fn no_note() -> AppError {
        AppError::NotFound("That note no longer exists; it may have been deleted.".into())
    }

    pub async fn add(customer_id: String, reason: String, body: String) -> Result<(), AppError> {
        let agent = require(Permission::NotesWrite)?;
        let body = check_body(&body).map_err(|m| AppError::validation("body", m))?;
        let state = crate::state::app_state()?;
        let mut tx = state.db.begin_write().await?;
        if !db::customer_exists(&mut tx, &customer_id).await? {
            return Err(no_customer(&customer_id));
        }
        let reason = checked_reason(&mut tx, &reason).await?;
        let id = uuid::Uuid::now_v7().to_string();
        db::insert(
            &mut tx,
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
        Record::by(&agent, "notes.add")
            .customer(&customer_id)
            .subject(&id)
            .change(json!(null), json!({"reason": reason, "body": body}))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn edit(
        customer_id: String,
        id: String,
        reason: String,
        body: String,
    ) -> Result<(), AppError> {
        let agent = require(Permission::NotesWrite)?;
        let body = check_body(&body).map_err(|m| AppError::validation("body", m))?;
        let state = crate::state::app_state()?;
        let mut tx = state.db.begin_write().await?;
        let before = db::get(&mut tx, &customer_id, &id)
            .await?
            .ok_or_else(no_note)?;
        let reason = checked_reason(&mut tx, &reason).await?;
        db::update(
            &mut tx,
            &id,
            reason.as_deref(),
            &body,
            &agent.display_name,
            now_millis(),
        )
        .await?;
        Record::by(&agent, "notes.edit")
            .customer(&customer_id)
            .subject(&id)
            .change(
                json!({"reason": before.reason, "body": before.body}),
                json!({"reason": reason, "body": body}),
            )
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete(customer_id: String, id: String) -> Result<(), AppError> {
        let agent = require(Permission::NotesWrite)?;
        let state = crate::state::app_state()?;
        let mut tx = state.db.begin_write().await?;
        let before = db::get(&mut tx, &customer_id, &id)
            .await?
            .ok_or_else(no_note)?;
        db::delete(&mut tx, &id).await?;
        Record::by(&agent, "notes.delete")
            .customer(&customer_id)
            .subject(&id)
            .change(
                json!({"reason": before.reason, "body": before.body, "author": before.author_name}),
                json!(null),
            )
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_reason(name: String) -> Result<(), AppError> {
        let agent = require(Permission::SettingsManage)?;
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(AppError::validation(
                "name",
                "Give the reason a name of 1 to 60 characters.",
            ));
        }
        let state = crate::state::app_state()?;
        let mut tx = state.db.begin_write().await?;
        let existing = db::reasons(&mut *tx).await?;
        if existing.iter().any(|r| r.name.eq_ignore_ascii_case(&name)) {
            return Err(AppError::validation(
                "name",
                format!("There is already a reason called “{name}”."),
            ));
        }
        let id = uuid::Uuid::now_v7().to_string();
        db::add_reason(&mut tx, &id, &name).await?;
        Record::by(&agent, "settings.note_reason_add")
            .subject(&id)
            .change(json!(null), json!({"name": name}))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_reason(id: String) -> Result<(), AppError> {
        let agent = require(Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
        let mut tx = state.db.begin_write().await?;
        if !db::delete_reason(&mut tx, &id).await? {
            return Err(AppError::NotFound("That reason no longer exists.".into()));
        }
        Record::by(&agent, "settings.note_reason_delete")
            .subject(&id)
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
