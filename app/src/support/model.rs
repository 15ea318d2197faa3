//! Support ticket types shared by the server and the browser.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// One Zendesk ticket of the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// Zendesk ticket id.
    pub id: String,
    /// new, open, pending, hold, solved, closed.
    pub status: String,
    /// question, incident, problem, task (Zendesk leaves it empty sometimes).
    pub ticket_type: Option<String>,
    /// Subject line.
    pub subject: String,
    /// When the customer submitted it.
    pub submitted_at: EpochMillis,
    /// Link to the ticket in Zendesk.
    pub url: String,
}

/// What the Support tab shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SupportTickets {
    /// No Zendesk configured for this console.
    NotConnected,
    /// The customer has no email address to look tickets up by.
    NoEmail,
    /// Tickets, newest first, as of `synced_at`; `stale` says why they may be out of date.
    Tickets {
        /// The tickets.
        tickets: Vec<Ticket>,
        /// When Zendesk was last asked successfully.
        synced_at: Option<EpochMillis>,
        /// Why Zendesk could not be asked just now, if it could not.
        stale: Option<String>,
    },
}
