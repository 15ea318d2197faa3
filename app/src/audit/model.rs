//! Audit records as the admin screen shows them.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// One recorded mutation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Record id (UUIDv7 text).
    pub id: String,
    /// When.
    pub at: EpochMillis,
    /// Who (the platform user's email, or the email typed at a failed sign-in).
    pub actor_email: String,
    /// What, e.g. `points.adjust`.
    pub action: String,
    /// Which customer, when the action was about one.
    pub customer_id: Option<String>,
    /// What else it was about (a user, a setting).
    pub subject: Option<String>,
    /// State before, as JSON text.
    pub before: Option<String>,
    /// State after, as JSON text.
    pub after: Option<String>,
}

/// Filters of the audit screen; empty strings mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Actor email, exact (case-insensitive).
    pub actor: String,
    /// Action name, exact.
    pub action: String,
    /// Customer id, exact.
    pub customer_id: String,
    /// First day, `YYYY-MM-DD` (UTC).
    pub from: String,
    /// Last day, `YYYY-MM-DD` (UTC).
    pub to: String,
}

/// One page of the trail, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    /// The records.
    pub entries: Vec<AuditEntry>,
    /// Cursor of the next (older) page.
    pub next: Option<(EpochMillis, String)>,
    /// Every action name recorded so far, for the filter.
    pub actions: Vec<String>,
}
