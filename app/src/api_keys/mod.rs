//! API keys for the ingest API: created on the admin screen or by `create-api-key`, stored
//! hashed, shown once, revocable.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::{create_api_key, list_api_keys, revoke_api_key};
pub use model::{ApiKeySummary, NewApiKey};
pub use page::ApiKeysPage;
