//! Event types shared by the server and the browser, and how each kind reads in the stream.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// One event as the stream shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    /// Event id (UUID text).
    pub id: String,
    /// Machine name of the type, e.g. `purchase`.
    pub event_type: String,
    /// When it happened.
    pub occurred_at: EpochMillis,
    /// One line for the stream.
    pub summary: String,
    /// Additional details, in display order.
    pub details: Vec<(String, String)>,
}

/// One page of events and the cursor of the next page, if there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPage {
    /// Events, newest first.
    pub events: Vec<EventView>,
    /// `(occurred_at, id)` of the last event shown: pass it back to get the next page.
    pub next: Option<(EpochMillis, String)>,
}

/// The stream's filters, as the filter bar sets them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamQuery {
    /// One event type, e.g. `purchase`.
    pub event_type: Option<String>,
    /// One category of the registry, e.g. `Loyalty tier`.
    pub category: Option<String>,
    /// Text the details must contain.
    pub q: Option<String>,
}

/// An event as written by the seeder (and later by the ingest API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    /// Event id (UUID text).
    pub id: String,
    /// Owner.
    pub customer_id: String,
    /// The sender's id for idempotency, if any.
    pub client_event_id: Option<String>,
    /// Machine name of the type.
    pub event_type: String,
    /// Where it came from: `pos`, `app`, `web`, `console`, `seed`.
    pub source: String,
    /// When it happened.
    pub occurred_at: EpochMillis,
    /// When we stored it.
    pub received_at: EpochMillis,
    /// Store where it happened, if any.
    pub store_id: Option<String>,
    /// Money amount in minor units, if any.
    pub amount_cents: Option<i64>,
    /// Change to the points balance, if any.
    pub points_delta: Option<i64>,
    /// Type-specific attributes as JSON.
    pub payload: serde_json::Value,
}

impl NewEvent {
    /// An event an agent's action in the console caused, happening `now`.
    pub fn console(
        customer_id: &str,
        event_type: &str,
        now: EpochMillis,
        payload: serde_json::Value,
    ) -> Self {
        Self {
            id: uuid::Uuid::now_v7().to_string(),
            customer_id: customer_id.to_string(),
            client_event_id: None,
            event_type: event_type.to_string(),
            source: "console".into(),
            occurred_at: now,
            received_at: now,
            store_id: None,
            amount_cents: None,
            points_delta: None,
            payload,
        }
    }
}

/// What people call an event type: `points_earned` → `Points earned`,
/// `sms_verification_reset` → `SMS verification reset`.
pub fn event_label(event_type: &str) -> String {
    crate::words::label(event_type)
}
