//! The Digital properties tab: the programme's web and app properties the customer used and
//! their devices, drawn from `app_session` and `device_seen` events.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
#[cfg(feature = "ssr")]
pub mod service;
mod tab;

pub use api::get_digital_footprint;
pub use model::{summarise, Device, DigitalFootprint, PropertyUse};
pub use tab::DigitalPropertiesTab;
