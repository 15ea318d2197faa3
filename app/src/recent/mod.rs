//! Recently viewed: the customers each platform user opened last, listed on the search page so
//! an agent gets back to the customer of a call a moment ago without searching again.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
mod panel;

pub use api::recently_viewed;
#[cfg(feature = "ssr")]
pub use api::remember_view;
pub use model::{RecentCustomer, KEPT_PER_USER};
pub use panel::RecentlyViewed;
