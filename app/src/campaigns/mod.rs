//! Campaigns: the customer's campaigns (completed, in progress with progress, eligible) and a
//! page per campaign.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod service;
mod tab;

pub use page::CampaignPage;
pub use tab::CampaignsTab;
