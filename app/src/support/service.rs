//! The use cases behind the server functions of this feature.

use super::model::SupportTickets;
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use crate::support::db;
use crate::support::zendesk::parse_time;
use crate::time::now_millis;

/// The help desk as the actor of the ticket cache's changes.
pub fn zendesk_actor() -> CurrentUser {
    CurrentUser::system("zendesk", "Zendesk")
}

/// How long cached tickets are shown without asking Zendesk again.
const FRESH_FOR_MS: i64 = 5 * 60 * 1000;

/// A customer's support tickets, from the cache or fetched from the help desk.
pub async fn tickets(state: &AppState, customer_id: String) -> Result<SupportTickets, AppError> {
    let Some(zendesk) = state.config.zendesk.clone() else {
        return Ok(SupportTickets::NotConnected);
    };
    let email = db::customer_email(&state.db, &customer_id)
        .await?
        .ok_or_else(|| AppError::no_customer(&customer_id))?;
    let Some(email) = email else {
        return Ok(SupportTickets::NoEmail);
    };
    let now = now_millis();
    let mut synced_at = db::synced_at(&state.db, &customer_id).await?;
    let mut stale = None;
    if synced_at.is_none_or(|at| now - at > FRESH_FOR_MS) {
        match zendesk.tickets_of(&email).await {
            Ok(found) => {
                let actor = zendesk_actor();
                let mut change = Change::begin(state, &actor).await?;
                for ticket in found {
                    let cached = db::CachedTicket {
                        id: ticket.id.to_string(),
                        status: ticket.status,
                        ticket_type: ticket.ticket_type,
                        subject: ticket.subject.unwrap_or_default(),
                        submitted_at: parse_time(&ticket.created_at).unwrap_or(now),
                        updated_at: parse_time(&ticket.updated_at).unwrap_or(now),
                    };
                    if db::upsert(change.tx(), &customer_id, &cached).await? {
                        change.customer_changed(&customer_id);
                    }
                }
                db::mark_synced(change.tx(), &customer_id, now).await?;
                change.commit().await?;
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
