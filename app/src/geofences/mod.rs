//! Geofences: circles an admin defines under Admin → Locations (a centre, a radius in metres,
//! optionally its store, active or not). Mobile apps fetch the active ones
//! (`GET /api/v1/geofences`) and send `geofence_entered` / `geofence_exited` events naming
//! them; ingest writes the geofence's name into each event, and the customer's Locations tab
//! shows the geofences they were last seen in, when and for how long.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::{list_geofences, save_geofence, GeofencesScreen};
pub use model::{checked, format_dwell, Geofence, GeofenceForm, GeofenceVisit, RADIUS_M};
pub use page::GeofencesPage;
