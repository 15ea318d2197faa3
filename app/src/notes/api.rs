//! Server functions for notes (read: customers.search; write: notes.write) and note reasons
//! (settings.manage).

use super::model::{Note, NoteReason};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// The newest `limit` (at most 200) notes of `customer_id`, newest first.
#[server(endpoint = "list_notes")]
pub async fn list_notes(customer_id: String, limit: i64) -> Result<Vec<Note>, AppError> {
    crate::error::respond(async {
        crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        Ok(super::db::list(&state.db, &customer_id, limit.clamp(1, 200)).await?)
    })
    .await
}

/// Adds a note to `customer_id`, filed under `reason` (a configured reason, or empty).
#[server(endpoint = "add_note")]
pub async fn add_note(customer_id: String, reason: String, body: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::NotesWrite)?;
        service::add(
            &crate::state::app_state()?,
            &user,
            customer_id,
            reason,
            body,
        )
        .await
    })
    .await
}

/// Replaces the reason and text of note `id`; the note shows it was edited, when and by whom.
#[server(endpoint = "edit_note")]
pub async fn edit_note(
    customer_id: String,
    id: String,
    reason: String,
    body: String,
) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::NotesWrite)?;
        service::edit(
            &crate::state::app_state()?,
            &user,
            customer_id,
            id,
            reason,
            body,
        )
        .await
    })
    .await
}

/// Deletes note `id`; the audit trail keeps its text.
#[server(endpoint = "delete_note")]
pub async fn delete_note(customer_id: String, id: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::NotesWrite)?;
        service::delete(&crate::state::app_state()?, &user, customer_id, id).await
    })
    .await
}

/// The configured note reasons, in order.
#[server(endpoint = "list_note_reasons")]
pub async fn list_note_reasons() -> Result<Vec<NoteReason>, AppError> {
    crate::error::respond(async {
        crate::auth::guard::signed_in()?;
        let state = crate::state::app_state()?;
        Ok(super::db::reasons_cached(&state.db).await?.to_vec())
    })
    .await
}

/// Adds a note reason (settings.manage).
#[server(endpoint = "save_note_reason")]
pub async fn save_note_reason(name: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::add_reason(&crate::state::app_state()?, &user, name).await
    })
    .await
}

/// Removes a note reason (settings.manage); notes filed under it keep the name.
#[server(endpoint = "delete_note_reason")]
pub async fn delete_note_reason(id: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::delete_reason(&crate::state::app_state()?, &user, id).await
    })
    .await
}
