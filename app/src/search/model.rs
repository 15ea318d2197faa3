//! What a search answers.

use serde::{Deserialize, Serialize};

/// What an exact-match search found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchOutcome {
    /// The id of the one matching customer.
    Found(String),
    /// No customer matched; the message says which identifier was tried.
    NoMatch(String),
    /// More than one customer holds the identifier: stored in two spellings before today's
    /// rules read them as one, each kept until a supervisor merges them. Each holder as
    /// (id, name), the one holding today's form first, and what the agent should know.
    Shared {
        /// (id, name) of each holder.
        customers: Vec<(String, String)>,
        /// Why there are several and what to do.
        note: String,
    },
}
