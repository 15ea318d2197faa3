//! The Locations tab: the programme's stores, the customer's home and recent stores, and
//! stores near a chosen one by great-circle distance.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
#[cfg(feature = "ssr")]
pub mod service;
mod tab;

pub use api::{get_customer_locations, nearby_stores};
pub use model::{great_circle_km, CustomerLocations, NearbyStore, StoreVisit};
pub use tab::LocationsTab;
