//! What the search page lists of a recently viewed customer.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// How many customers each user's list keeps.
pub const KEPT_PER_USER: i64 = 10;

/// A customer the user opened, and when they last did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentCustomer {
    /// Customer id.
    pub id: String,
    /// Given and family name, or "Unnamed customer".
    pub name: String,
    /// Status name.
    pub status: String,
    /// Test persona.
    pub is_test: bool,
    /// When the user last opened the profile.
    pub viewed_at: EpochMillis,
}
