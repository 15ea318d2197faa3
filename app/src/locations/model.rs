//! Location types and the great-circle distance.

use crate::catalog::Store;
use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// Mean Earth radius used for distances, in kilometres.
const EARTH_RADIUS_KM: f64 = 6_371.0;

/// Great-circle (haversine) distance between two points given in degrees, in kilometres.
pub fn great_circle_km(from: (f64, f64), to: (f64, f64)) -> f64 {
    let (lat1, lon1) = (from.0.to_radians(), from.1.to_radians());
    let (lat2, lon2) = (to.0.to_radians(), to.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// A store the customer visited: how often and when last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreVisit {
    /// The store.
    pub store: Store,
    /// Events that happened there.
    pub visits: i64,
    /// The latest of them.
    pub last_visit: EpochMillis,
}

/// Where the customer shops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerLocations {
    /// The home store, if one is set.
    pub home: Option<Store>,
    /// Stores with recent activity, latest first.
    pub recent: Vec<StoreVisit>,
    /// Every store of the programme, by name (for the "near" chooser).
    pub all: Vec<Store>,
    /// The geofences the customer was seen in, the one entered last first.
    pub geofences: Vec<crate::geofences::GeofenceVisit>,
    /// The stores nearest the centre of the geofence entered last, nearest first.
    pub near_last_geofence: Vec<NearbyStore>,
}

/// A store and its distance from the chosen one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyStore {
    /// The store.
    pub store: Store,
    /// Great-circle distance in kilometres.
    pub km: f64,
}

#[cfg(test)]
mod tests {
    use super::great_circle_km;

    #[test]
    fn london_to_paris_is_about_344_km() {
        let km = great_circle_km((51.5074, -0.1278), (48.8566, 2.3522));
        assert!((km - 343.5).abs() < 1.5, "{km}");
        assert!(great_circle_km((53.8, -1.55), (53.8, -1.55)).abs() < 1e-9);
    }
}
