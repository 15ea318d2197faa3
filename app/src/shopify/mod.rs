//! The Shopify adapter: order webhooks (`orders/create`, `orders/paid`, `refunds/create`)
//! verified by their HMAC, each delivery once (replays answered with no effect), turned into
//! purchase, points and refund events through the ingest pipeline; Admin → Integrations sets
//! the shared secret and shows the last deliveries.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
#[cfg(feature = "ssr")]
pub mod order;
mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod signature;

pub use api::{get_shopify_settings, list_shopify_deliveries, save_shopify_settings};
pub use model::{Delivery, SettingsForm, ShopifySettings, UnknownCustomers, WEBHOOK_PATH};
pub use page::IntegrationsPage;
