//! Customers: the profile route with its header and tab bar, and the profile tab.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod header;
mod model;
mod page;
mod profile_tab;

pub use api::{get_customer_header, get_customer_profile};
pub use model::{search_key, CustomerHeader, CustomerProfile, NewCustomer, StatusBadge};
pub use page::{use_customer_id, CustomerRoutes, ProfilePage, ProfilePageContext};
