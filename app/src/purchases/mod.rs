//! The Purchases sub-tab: every purchase with date and time, total, store, line items and
//! offers redeemed at the till; sortable and paginated. Amounts are in their currency's ISO
//! 4217 minor units ([`crate::money`]).

mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod minor_units;
mod model;
#[cfg(feature = "ssr")]
mod service;
mod tab;

pub use api::list_purchases;
pub use model::{Purchase, PurchasePage, PurchaseSort};
pub use tab::PurchasesTab;
