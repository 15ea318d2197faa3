//! Custom profile attributes: typed fields (text, number, date, yes / no, web address) an admin
//! declares under Admin → Profile attributes, set, changed and removed by `profile_updated`
//! events and the profile edit, shown on the Profile tab, exported, and found by exact value in
//! the advanced search.

mod admin_page;
mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod filter;
mod model;
#[cfg(feature = "ssr")]
pub mod service;

pub use admin_page::AttributeTypesPage;
pub use api::{add_attribute_type, list_attribute_types, remove_attribute_type};
pub use filter::AttributeFilter;
#[cfg(feature = "ssr")]
pub use model::checked_input;
pub use model::{
    checked_name, AttributeKind, AttributeType, AttributeValue, MAX_TEXT, RESERVED_KEYS,
};
