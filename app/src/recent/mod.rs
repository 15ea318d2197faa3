//! Recently viewed: the customers each platform user opened last, listed on the search page so
//! an agent gets back to the customer of a call a moment ago without searching again.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
mod panel;
#[cfg(feature = "ssr")]
mod pending;

pub use api::recently_viewed;
pub use model::{RecentCustomer, KEPT_PER_USER};
pub use panel::RecentlyViewed;
#[cfg(feature = "ssr")]
pub use pending::RecentViews;
