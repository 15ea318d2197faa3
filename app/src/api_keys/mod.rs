//! API keys for the ingest API: created on the admin screen or by `create-api-key`, stored
//! hashed, revocable. Secret keys are for servers and shown once; publishable keys are for web
//! pages (the JavaScript SDK), limited to some event types, origins and a request rate.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub(crate) mod page;
#[cfg(feature = "ssr")]
pub mod rate;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::{create_api_key, list_api_keys, revoke_api_key, update_api_key_limits};
pub use model::{ApiKeySummary, BrowserLimits, KeyKind, NewApiKey, NewKeyForm};
pub use page::ApiKeysPage;
