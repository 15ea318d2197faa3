//! Identity: the identifiers a customer is known by (email, phone, card, external id, our id),
//! how each is normalised, and where they are stored, shared by search, Add Customer, profile
//! edit, ingest and the forget.

#[cfg(feature = "ssr")]
pub mod db;
mod model;

pub use model::{
    identifier_candidates, mask_email, mask_phone, phone_e164, Identifier, IdentifierKind,
};
