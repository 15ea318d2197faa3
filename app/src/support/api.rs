//! Server function of the Support tab (permission customers.search).

use super::model::SupportTickets;
use crate::error::AppError;
use leptos::prelude::*;

/// The customer's Zendesk tickets: refreshed from Zendesk when the cache is older than five
/// minutes, else (or when Zendesk does not answer) from the cache.
#[server(endpoint = "get_support_tickets")]
pub async fn get_support_tickets(customer_id: String) -> Result<SupportTickets, AppError> {
    crate::error::respond(server::tickets(customer_id).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::SupportTickets;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use crate::support::db;
    use crate::support::zendesk::parse_time;
    use crate::time::now_millis;

    /// How long cached tickets are shown without asking Zendesk again.
    const FRESH_FOR_MS: i64 = 5 * 60 * 1000;

    pub async fn tickets(customer_id: String) -> Result<SupportTickets, AppError> {
        require(Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        let Some(zendesk) = state.config.zendesk.clone() else {
            return Ok(SupportTickets::NotConnected);
        };
        let email = db::customer_email(&state.db, &customer_id)
            .await?
            .ok_or_else(|| {
                AppError::NotFound(format!("There is no customer with id {customer_id}."))
            })?;
        let Some(email) = email else {
            return Ok(SupportTickets::NoEmail);
        };
        let now = now_millis();
        let mut synced_at = db::synced_at(&state.db, &customer_id).await?;
        let mut stale = None;
        if synced_at.is_none_or(|at| now - at > FRESH_FOR_MS) {
            match zendesk.tickets_of(&email).await {
                Ok(found) => {
                    let mut tx = state.db.begin_write().await?;
                    for ticket in found {
                        let cached = db::CachedTicket {
                            id: ticket.id.to_string(),
                            status: ticket.status,
                            ticket_type: ticket.ticket_type,
                            subject: ticket.subject.unwrap_or_default(),
                            submitted_at: parse_time(&ticket.created_at).unwrap_or(now),
                            updated_at: parse_time(&ticket.updated_at).unwrap_or(now),
                        };
                        db::upsert(&mut tx, &customer_id, &cached).await?;
                    }
                    db::mark_synced(&mut tx, &customer_id, now).await?;
                    tx.commit().await?;
                    synced_at = Some(now);
                }
                Err(reason) => {
                    tracing::warn!(%customer_id, %reason, "Zendesk ticket search failed");
                    stale = Some(reason);
                }
            }
        }
        let tickets = db::tickets(&state.db, &customer_id, |id| zendesk.ticket_url(id)).await?;
        Ok(SupportTickets::Tickets {
            tickets,
            synced_at,
            stale,
        })
    }
}
