//! The status flag in the profile header and changing it (permission status.change).

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod flag;

pub use api::{change_status, ChangeStatus};
pub use flag::StatusFlag;
