//! The ingest API's domain: the request shape and the pipeline that stores a batch with its
//! projections, one file a step — `envelope.rs` and `validate.rs` (each event against its
//! type's schema), `matching.rs` (match, enrich, repeats; the answers), `db/` (the SQL),
//! `service.rs` (the steps in order, in one `Change`). The HTTP route lives in the server
//! crate. Without `ssr` only the request and answer types are here (for the Rust client).

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(all(test, feature = "ssr"))]
mod fuzz;
#[cfg(feature = "ssr")]
pub mod matching;
pub mod model;
#[cfg(feature = "ssr")]
pub mod schema;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod validate;

#[cfg(feature = "ssr")]
mod envelope;
#[cfg(feature = "ssr")]
pub use envelope::*;
