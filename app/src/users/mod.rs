//! Platform users for admins: create, deactivate, reset passwords, grant and revoke permissions.

#[cfg(feature = "ssr")]
pub mod accounts;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::UserSummary;
pub use page::{UserDetailPage, UsersPage};
