//! Data privacy (GDPR): export, restrict / reinstate, forget, and the request history per
//! customer and for the whole programme.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
mod log_page;
mod model;
#[cfg(feature = "ssr")]
pub mod service;
mod tab;

pub use api::{
    forget_customer, get_privacy_overview, list_privacy_requests, reinstate_processing,
    restrict_processing,
};
pub use log_page::PrivacyLogPage;
pub use model::{LogFilter, LogPage, PrivacyOverview, PrivacyRequest, FORGET_CONFIRMATION};
pub use tab::PrivacyTab;
