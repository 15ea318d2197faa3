//! Search: exact identifiers from the search page or the top bar, and (when the organisation
//! allows it) advanced search by name prefixes, email, phone, id and date of birth.

pub mod advanced;
mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod limit;
mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod service;

pub use advanced::{AdvancedQuery, SearchResults, SortOrder};
pub use api::{advanced_search, find_customer, get_search_mode};
pub use model::SearchOutcome;
pub use page::SearchPage;
