//! The status flag in the profile header and changing it (permission status.change).

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod flag;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::{change_status, ChangeStatus};
pub use flag::StatusFlag;
