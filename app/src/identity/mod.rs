//! Identity: the identifiers a customer is known by (email, phone, card, external id, our id)
//! and how each is normalised, shared by search, Add Customer, profile edit and ingest.

mod model;

pub use model::{
    identifier_candidates, phone_e164, Identifier, IdentifierKind, DEFAULT_CALLING_CODE,
};
