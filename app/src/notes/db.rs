//! SQL for notes and note reasons.

use super::model::{Note, NoteReason};
use crate::store::Db;
use sqlx::{Any, Executor, FromRow, Transaction};
use std::sync::Arc;

#[derive(FromRow)]
struct NoteRow {
    id: String,
    reason: Option<String>,
    body: String,
    author_name: String,
    created_at: i64,
    edited_at: Option<i64>,
    edited_by: Option<String>,
}

impl From<NoteRow> for Note {
    fn from(r: NoteRow) -> Self {
        Note {
            id: r.id,
            reason: r.reason,
            body: r.body,
            author_name: r.author_name,
            created_at: r.created_at,
            edited_at: r.edited_at,
            edited_by: r.edited_by,
        }
    }
}

const NOTE_COLUMNS: &str = "id, reason, body, author_name, created_at, edited_at, edited_by";

/// The newest `limit` notes of `customer_id`, newest first.
pub async fn list(db: &Db, customer_id: &str, limit: i64) -> Result<Vec<Note>, sqlx::Error> {
    let sql = format!(
        "SELECT {NOTE_COLUMNS} FROM notes WHERE customer_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2"
    );
    let rows: Vec<NoteRow> = sqlx::query_as(&sql)
        .bind(customer_id)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(Note::from).collect())
}

/// Note `id` of `customer_id`, if it exists.
pub async fn get(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    id: &str,
) -> Result<Option<Note>, sqlx::Error> {
    let sql = format!("SELECT {NOTE_COLUMNS} FROM notes WHERE id = $1 AND customer_id = $2");
    let row: Option<NoteRow> = sqlx::query_as(&sql)
        .bind(id)
        .bind(customer_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(Note::from))
}

/// What a new note stores.
pub struct NewNote<'a> {
    /// Note id.
    pub id: &'a str,
    /// Owner.
    pub customer_id: &'a str,
    /// Reason name, if any.
    pub reason: Option<&'a str>,
    /// Text.
    pub body: &'a str,
    /// Author's email.
    pub author_email: &'a str,
    /// Author's display name.
    pub author_name: &'a str,
    /// When.
    pub created_at: i64,
}

/// Stores a new note.
pub async fn insert(tx: &mut Transaction<'_, Any>, note: &NewNote<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notes (id, customer_id, reason, body, author_email, author_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(note.id)
    .bind(note.customer_id)
    .bind(note.reason)
    .bind(note.body)
    .bind(note.author_email)
    .bind(note.author_name)
    .bind(note.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces the reason and text of a note and marks it edited.
pub async fn update(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    id: &str,
    reason: Option<&str>,
    body: &str,
    editor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE notes SET reason = $1, body = $2, edited_at = $3, edited_by = $4 \
         WHERE customer_id = $5 AND id = $6",
    )
    .bind(reason)
    .bind(body)
    .bind(now)
    .bind(editor)
    .bind(customer_id)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes a note.
pub async fn delete(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM notes WHERE customer_id = $1 AND id = $2")
        .bind(customer_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether customer `id` exists.
pub async fn customer_exists(tx: &mut Transaction<'_, Any>, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some())
}

/// The configured note reasons, in order, from the organisation cache (adding or removing one
/// marks it out of date).
pub async fn reasons_cached(db: &Db) -> Result<Arc<Vec<NoteReason>>, sqlx::Error> {
    db.org_cache().get(|| reasons(db.pool())).await
}

/// The configured note reasons, in order.
pub async fn reasons<'e, E>(executor: E) -> Result<Vec<NoteReason>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM note_reasons ORDER BY sort_order, name")
            .fetch_all(executor)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| NoteReason { id, name })
        .collect())
}

/// Adds a note reason at the end of the list.
pub async fn add_reason(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO note_reasons (id, name, sort_order) \
         SELECT $1, $2, COALESCE(MAX(sort_order), 0) + 1 FROM note_reasons",
    )
    .bind(id)
    .bind(name)
    .execute(&mut **tx)
    .await?;
    crate::store::org_cache::written();
    Ok(())
}

/// Removes a note reason (notes filed under it keep the name).
pub async fn delete_reason(tx: &mut Transaction<'_, Any>, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM note_reasons WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    crate::store::org_cache::written();
    Ok(done.rows_affected() > 0)
}
