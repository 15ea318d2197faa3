//! Support tickets from Zendesk: a connector for the Zendesk REST API (tickets searched by the
//! customer's email), a cache in the database, a signed webhook for ticket updates, and the
//! Support sub-tab of Activity.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
#[cfg(feature = "ssr")]
pub mod service;
mod tab;
#[cfg(feature = "ssr")]
pub mod webhook;
#[cfg(feature = "ssr")]
mod zendesk;

pub use api::get_support_tickets;
pub use model::{SupportTickets, Ticket};
pub use tab::SupportTab;
#[cfg(feature = "ssr")]
pub use zendesk::ZendeskConfig;
