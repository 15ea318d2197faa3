//! Tiers: levels with thresholds and benefits, rules that promote at once and demote or renew
//! at expiry, the Tiers sub-tab and the rules on the settings screen.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod engine;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
mod settings;
mod tab;

pub use settings::TierRulesSettings;
pub use tab::TiersTab;
