//! Likely duplicate customers: the same name and date of birth or postcode, an email that
//! differs only by dots or a +suffix, a phone number that differs only by a national prefix.
//! Shown on the profile (and so after adding a customer or an identifier) and, for
//! supervisors, as a list of the organisation's likely duplicates.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod list_page;
mod model;
mod panel;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::{list_duplicates, possible_duplicates};
pub use list_page::DuplicatesPage;
pub use model::{DuplicateGroup, DuplicatePage, Reason, Suggestion};
pub use panel::{DuplicatesNotice, PossibleDuplicates};
