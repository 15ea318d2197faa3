//! Access tools in the profile header: reset SMS verification and send a password-reset
//! email through the configured SMTP server (permission access_tools.use).

mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
mod mail;
#[cfg(feature = "ssr")]
pub mod service;
mod tools;

pub use api::{reset_sms_verification, send_password_reset};
#[cfg(feature = "ssr")]
pub use mail::MailConfig;
pub use tools::{AccessActions, AccessTools};
