//! Customer analytics: RFM beside the base, churn risk (BG/NBD), lifetime value (BG/NBD and
//! Gamma-Gamma) and product affinities, fitted by a background job.

mod admin_page;
#[cfg(feature = "ssr")]
pub mod affinity;
pub mod api;
#[cfg(feature = "ssr")]
pub mod base;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod job;
pub mod model;
mod panel;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod stats;

pub use admin_page::AnalyticsAdminPage;
#[cfg(feature = "ssr")]
pub use job::AnalyticsJob;
pub use panel::{AnalyticsPanel, AnalyticsTab};
