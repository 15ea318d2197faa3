//! SQL for the support-ticket cache.

use super::model::Ticket;
use crate::store::Db;
use sqlx::{Any, Transaction};

/// A ticket as cached (without the link, which depends on configuration).
pub struct CachedTicket {
    /// Zendesk id.
    pub id: String,
    /// Status.
    pub status: String,
    /// Type.
    pub ticket_type: Option<String>,
    /// Subject.
    pub subject: String,
    /// Submitted.
    pub submitted_at: i64,
    /// Last updated in Zendesk.
    pub updated_at: i64,
}

/// Email of `customer_id`: `None` when there is no such customer.
pub async fn customer_email(
    db: &Db,
    customer_id: &str,
) -> Result<Option<Option<String>>, sqlx::Error> {
    sqlx::query_scalar("SELECT email FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(db.pool())
        .await
}

/// Id of the customer with `email`, if any.
pub async fn customer_by_email(db: &Db, email: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(email)
        .fetch_optional(db.pool())
        .await
}

/// When `customer_id` was last synced with Zendesk.
pub async fn synced_at(db: &Db, customer_id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT synced_at FROM support_sync WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_optional(db.pool())
        .await
}

/// Inserts or updates a ticket unless the cached copy is newer.
pub async fn upsert(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    ticket: &CachedTicket,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO support_tickets (id, customer_id, status, ticket_type, subject, submitted_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (customer_id, id) DO UPDATE SET status = excluded.status, ticket_type = excluded.ticket_type, \
         subject = excluded.subject, updated_at = excluded.updated_at \
         WHERE support_tickets.updated_at <= excluded.updated_at",
    )
    .bind(&ticket.id)
    .bind(customer_id)
    .bind(&ticket.status)
    .bind(&ticket.ticket_type)
    .bind(&ticket.subject)
    .bind(ticket.submitted_at)
    .bind(ticket.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Records a successful sync of `customer_id` at `now`.
pub async fn mark_synced(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO support_sync (customer_id, synced_at) VALUES ($1, $2) \
         ON CONFLICT (customer_id) DO UPDATE SET synced_at = excluded.synced_at",
    )
    .bind(customer_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The cached tickets of `customer_id`, newest first; `link` makes each ticket's URL.
pub async fn tickets(
    db: &Db,
    customer_id: &str,
    link: impl Fn(&str) -> String,
) -> Result<Vec<Ticket>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT id, status, ticket_type, subject, submitted_at FROM support_tickets \
         WHERE customer_id = $1 ORDER BY submitted_at DESC",
    )
    .bind(customer_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, status, ticket_type, subject, submitted_at)| Ticket {
            url: link(&id),
            id,
            status,
            ticket_type,
            subject,
            submitted_at,
        })
        .collect())
}
