//! The ingest API's domain: the request shape, validation against each type's schema, and
//! the pipeline that stores a batch with its projections (`service.rs`). The HTTP route lives in the server crate. Without
//! `ssr` only the request and answer types are here (for the Rust client).

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(all(test, feature = "ssr"))]
mod fuzz;
pub mod model;
#[cfg(feature = "ssr")]
pub mod schema;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod validate;

#[cfg(feature = "ssr")]
mod store;
#[cfg(feature = "ssr")]
pub use store::*;
