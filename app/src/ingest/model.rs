//! What the ingest API answers: per-event outcomes and the batch report.

use serde::{Deserialize, Serialize};

/// Most events one request may carry.
pub const MAX_BATCH: usize = 1000;

/// One bad field of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// JSON path inside the event, e.g. `payload.items[0].qty`; empty for the event itself.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl FieldError {
    /// An error at `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
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
            results,
        }
    }

    /// 200 when nothing was refused, 207 when some were, 422 when all were.
    pub fn status_code(&self) -> u16 {
        match (self.rejected, self.accepted + self.duplicates) {
            (0, _) => 200,
            (_, 0) => 422,
            _ => 207,
        }
    }
}
