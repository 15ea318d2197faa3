//! Identity: the identifiers a customer is known by (email, phone, card, external id, our id),
//! how each is normalised, and where they are stored, shared by search, Add Customer, profile
//! edit, ingest and the forget.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
mod panel;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::{add_identifier, list_identifiers, make_identifier_primary, remove_identifier};
pub use model::{
    identifier_candidates, mask_email, mask_phone, phone_e164, HeldIdentifier, Identifier,
    IdentifierKind,
};
pub use panel::IdentifiersPanel;
