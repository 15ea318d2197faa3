//! The HTTP layer: the `/api/v1` routes (ingest, live changes, export, webhooks, OpenAPI), the
//! JavaScript SDK, the guards in front of every route, and the one error shape every API
//! answer uses.
//! No domain rule lives here: handlers extract, call `app`, and answer.

pub mod error;
pub mod export;
pub mod extract;
pub mod geofences;
pub mod guard;
pub mod headers;
pub mod import;
pub mod ingest;
pub mod live;
pub mod openapi;
pub mod sdk;
pub mod server_fns;
pub mod webhooks;

pub use error::ApiError;
pub use extract::{ApiJson, ApiKey};
