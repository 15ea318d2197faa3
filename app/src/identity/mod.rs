//! Identity: the identifiers a customer is known by (email, phone, card, external id, our id),
//! how each is normalised, and where they are stored, shared by search, Add Customer, profile
//! edit, ingest and the forget.

mod api;
mod case_setting;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
mod panel;
#[cfg(feature = "ssr")]
pub mod phone;
#[cfg(feature = "ssr")]
pub mod renormalise;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::{
    add_identifier, external_id_case, list_identifiers, make_identifier_primary, remove_identifier,
    set_external_id_case,
};
pub use case_setting::ExternalIdCaseSetting;
#[cfg(feature = "ssr")]
pub use model::match_key;
pub use model::{
    email_key, fold_external_id, identifier_candidates, mask_email, mask_phone, phone_checked,
    phone_e164, HeldIdentifier, Identifier, IdentifierKind,
};
pub use panel::IdentifiersPanel;
