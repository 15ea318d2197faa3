//! Search: find a customer by an exact identifier from the search page or the top bar.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
mod page;

pub use api::find_customer;
pub use model::{identifier_candidates, Identifier, IdentifierKind, SearchOutcome};
pub use page::SearchPage;
