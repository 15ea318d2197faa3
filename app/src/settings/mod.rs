//! Organisation settings (permission settings.manage): search mode and customer status types.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
mod page;

pub use api::list_status_types;
pub use model::{OrgSettings, SearchMode, StatusType};
pub use page::SettingsPage;
