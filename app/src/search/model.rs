//! What a search answers.

use serde::{Deserialize, Serialize};

/// What an exact-match search found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchOutcome {
    /// The id of the one matching customer.
    Found(String),
    /// No customer matched; the message says which identifier was tried.
    NoMatch(String),
}
