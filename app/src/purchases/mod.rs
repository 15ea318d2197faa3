//! The Purchases sub-tab: every purchase with date and time, total, store, line items and
//! offers redeemed at the till; sortable and paginated.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
#[cfg(feature = "ssr")]
mod service;
mod tab;

pub use api::list_purchases;
pub use model::{Purchase, PurchasePage, PurchaseSort};
pub use tab::PurchasesTab;
