//! Rewards: what the customer redeemed and the delivery of reward orders, from
//! `reward_redeemed` and `reward_order_updated` events.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
mod tab;

pub use tab::RewardsTab;
