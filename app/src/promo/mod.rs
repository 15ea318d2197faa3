//! Promo codes: claimed codes with the limits each customer has reached, failed claims, and
//! the lockout after repeated failures with an agent's reset.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
mod tab;

pub use tab::PromoCodesTab;
