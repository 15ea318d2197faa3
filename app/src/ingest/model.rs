//! What the ingest API answers: per-event outcomes and the batch report.

use serde::{Deserialize, Serialize};

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Most events one request may carry.
pub const MAX_BATCH: usize = 1000;

/// An event as a sender posts it: the request shape of `POST /api/v1/events`, shared with the
/// Rust client (`customer-profiles-client`) so that what it sends is what `validate` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventIn {
    /// The sender's id of the event: the same id for the same customer is stored once, so a
    /// retry is safe.
    pub event_id: String,
    /// An ingestible event type, e.g. `purchase`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// When it happened.
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    /// Whom it is about.
    pub customer: CustomerRef,
    /// The store it happened in, when in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    /// What sent it (`api` when not said).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The type's fields, e.g. `{"amount_cents": 750, "currency": "GBP"}`.
    #[serde(default)]
    pub payload: serde_json::Map<String, serde_json::Value>,
}

impl EventIn {
    /// An event of `event_type` about `customer` happening now, with a fresh (UUID v7) id and
    /// `payload` (its fields when it is a JSON object, none otherwise).
    pub fn new(
        event_type: impl Into<String>,
        customer: CustomerRef,
        payload: serde_json::Value,
    ) -> Self {
        Self {
            event_id: uuid::Uuid::now_v7().to_string(),
            event_type: event_type.into(),
            occurred_at: chrono::Utc::now(),
            customer,
            store_id: None,
            source: None,
            payload: match payload {
                serde_json::Value::Object(fields) => fields,
                _ => serde_json::Map::new(),
            },
        }
    }

    /// With the sender's own `event_id` (a till's receipt number, say).
    pub fn id(mut self, event_id: impl Into<String>) -> Self {
        self.event_id = event_id.into();
        self
    }

    /// Happened at `at`.
    pub fn at(mut self, at: chrono::DateTime<chrono::Utc>) -> Self {
        self.occurred_at = at;
        self
    }

    /// In store `store_id`.
    pub fn store(mut self, store_id: impl Into<String>) -> Self {
        self.store_id = Some(store_id.into());
        self
    }

    /// Sent by `source` (e.g. `pos`, `web`).
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }
}

/// How an event names its customer: exactly one identifier, sent as e.g.
/// `{"external_id": "CRM-1"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerRef {
    /// The console's customer id (UUID).
    Id(String),
    /// The brand's own id.
    ExternalId(String),
    /// An email address.
    Email(String),
    /// A phone number in E.164 (`+447700900123`).
    Phone(String),
    /// A loyalty card number, digits only.
    CardNumber(String),
}

/// A request body of many events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// 1 to [`MAX_BATCH`] events.
    pub events: Vec<EventIn>,
}

/// One bad field of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// JSON path inside the event, e.g. `payload.items[0].qty`; empty for the event itself.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// Whether it says something about a stored customer (unknown, restricted, balance) rather
    /// than about the event: such refusals are not told to a publishable key.
    #[serde(skip)]
    pub about_customer: bool,
}

impl FieldError {
    /// An error at `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            about_customer: false,
        }
    }

    /// An error at `field` that depends on what is stored about the customer.
    pub fn about_customer(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            about_customer: true,
            ..Self::new(field, message)
        }
    }
}

/// What happened to one event of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored; `id` is our event id.
    Accepted {
        /// Our id of the stored event.
        id: String,
        /// The customer it was matched to.
        customer_id: String,
    },
    /// An event with this `event_id` was stored before for this customer; nothing changed.
    Duplicate {
        /// Our id of the event stored earlier (or earlier in this batch).
        id: String,
        /// The customer it was matched to.
        customer_id: String,
    },
    /// Not stored; every bad field is listed.
    Rejected {
        /// What is wrong, field by field.
        errors: Vec<FieldError>,
    },
    /// The answer to a publishable key for an event that passed its checks: stored, stored
    /// before, or dropped because of what is stored about the customer (unknown, restricted) —
    /// a public key may not learn which, or it could test who is a customer.
    Received {},
}

/// The outcome of one event, in request order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventResult {
    /// Position in the request's `events` array (0 for a single event).
    pub index: usize,
    /// The sender's `event_id`, when it could be read.
    pub event_id: Option<String>,
    /// What happened.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The answer to one ingest request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReport {
    /// Events stored now.
    pub accepted: usize,
    /// Events stored before (idempotent repeats).
    pub duplicates: usize,
    /// Events refused.
    pub rejected: usize,
    /// Events taken from a publishable key (see [`Outcome::Received`]).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub received: usize,
    /// One entry per event, in request order.
    pub results: Vec<EventResult>,
}

impl IngestReport {
    /// Counts the outcomes of `results`.
    pub fn new(results: Vec<EventResult>) -> Self {
        let count = |f: fn(&Outcome) -> bool| results.iter().filter(|r| f(&r.outcome)).count();
        Self {
            accepted: count(|o| matches!(o, Outcome::Accepted { .. })),
            duplicates: count(|o| matches!(o, Outcome::Duplicate { .. })),
            rejected: count(|o| matches!(o, Outcome::Rejected { .. })),
            received: count(|o| matches!(o, Outcome::Received {})),
            results,
        }
    }

    /// The report as a publishable key may see it: every outcome that depends on the stored
    /// customer (stored, stored before, refused for the customer's state) becomes `Received`.
    pub fn for_browser(self) -> Self {
        let results = self
            .results
            .into_iter()
            .map(|mut result| {
                result.outcome = match result.outcome {
                    // Only what is wrong with the event itself is told; a refusal left with
                    // nothing else is an event received like any other.
                    Outcome::Rejected { mut errors } => {
                        errors.retain(|e| !e.about_customer);
                        if errors.is_empty() {
                            Outcome::Received {}
                        } else {
                            Outcome::Rejected { errors }
                        }
                    }
                    _ => Outcome::Received {},
                };
                result
            })
            .collect();
        Self::new(results)
    }

    /// 200 when nothing was refused, 207 when some were, 422 when all were.
    pub fn status_code(&self) -> u16 {
        match (
            self.rejected,
            self.accepted + self.duplicates + self.received,
        ) {
            (0, _) => 200,
            (_, 0) => 422,
            _ => 207,
        }
    }
}
