//! Organisation settings (permission settings.manage): search mode, calling code, time zone
//! and customer status types.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod zone;

pub use api::list_status_types;
pub use model::{OrgSettings, SearchMode, StatusType};
pub use page::SettingsPage;
