//! The audit trail: who changed what, when, for which customer, with before and after.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
mod page;

pub use model::{AuditEntry, AuditFilter, AuditPage};
pub use page::AuditPage as AuditTrailPage;
