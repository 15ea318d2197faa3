//! Geofences as the admin screen, the apps and the Locations tab see them, and the rules of
//! the form that defines one.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// A circle around a place: mobile apps say when the customer's device enters and leaves it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geofence {
    /// Geofence id (UUID text), what `geofence_entered` events name.
    pub id: String,
    /// What it is called, e.g. "Oxford Street car park".
    pub name: String,
    /// Centre, degrees north.
    pub latitude: f64,
    /// Centre, degrees east.
    pub longitude: f64,
    /// Radius in metres.
    pub radius_m: i64,
    /// The store it belongs to, if any.
    pub store_id: Option<String>,
    /// Whether apps are told of it.
    pub active: bool,
    /// When it last changed (the edit form sends it back: a concurrent edit is refused).
    pub updated_at: EpochMillis,
}

/// The add / edit form (every value as typed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GeofenceForm {
    /// Empty for a new geofence.
    #[serde(default)]
    pub id: String,
    /// `updated_at` of the geofence as the form showed it (editing only).
    #[serde(default)]
    pub seen: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Latitude, degrees.
    #[serde(default)]
    pub latitude: String,
    /// Longitude, degrees.
    #[serde(default)]
    pub longitude: String,
    /// Radius, metres.
    #[serde(default)]
    pub radius_m: String,
    /// Store id, empty for none.
    #[serde(default)]
    pub store_id: String,
    /// "on" when ticked.
    #[serde(default)]
    pub active: Option<String>,
}

/// Radius limits, metres: phones do not report circles much smaller than 100 m reliably
/// (Android advises at least 100–150 m, iOS monitors regions from about 100 m), and beyond
/// 50 km a circle stops meaning a place.
pub const RADIUS_M: std::ops::RangeInclusive<i64> = 50..=50_000;

/// A form's values, checked (the store is checked against the catalogue by the service).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedGeofence {
    /// Trimmed name.
    pub name: String,
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east.
    pub longitude: f64,
    /// Metres.
    pub radius_m: i64,
    /// Store id, if one was chosen.
    pub store_id: Option<String>,
    /// Whether apps are told of it.
    pub active: bool,
}

/// The form's values checked, or the first field that is wrong and why.
pub fn checked(form: &GeofenceForm) -> Result<CheckedGeofence, (&'static str, String)> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(("name", "Give it a name of 1 to 80 characters.".into()));
    }
    let latitude = degrees(&form.latitude, 90.0).ok_or((
        "latitude",
        "A latitude is a number of degrees from −90 to 90, e.g. 51.5154.".into(),
    ))?;
    let longitude = degrees(&form.longitude, 180.0).ok_or((
        "longitude",
        "A longitude is a number of degrees from −180 to 180, e.g. −0.1419.".into(),
    ))?;
    let radius_m = form
        .radius_m
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|r| RADIUS_M.contains(r))
        .ok_or((
            "radius_m",
            format!(
                "Give the radius in whole metres, from {} to {} (phones do not see smaller circles reliably).",
                RADIUS_M.start(),
                RADIUS_M.end()
            ),
        ))?;
    let store_id = Some(form.store_id.trim().to_string()).filter(|s| !s.is_empty());
    Ok(CheckedGeofence {
        name: name.to_string(),
        latitude,
        longitude,
        radius_m,
        store_id,
        active: form.active.is_some(),
    })
}

/// A number of degrees within ±`limit`, as typed: a decimal comma is read as a point, and the
/// minus sign may be the typographic one.
fn degrees(text: &str, limit: f64) -> Option<f64> {
    let text = text.trim().replace('\u{2212}', "-");
    let text = if text.contains('.') {
        text
    } else {
        text.replace(',', ".")
    };
    text.parse::<f64>()
        .ok()
        .filter(|d| d.is_finite() && d.abs() <= limit)
}

/// Where the customer was seen last in one geofence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeofenceVisit {
    /// The geofence.
    pub geofence: Geofence,
    /// Times the customer entered it.
    pub entries: i64,
    /// When they last entered it.
    pub last_entered: Option<EpochMillis>,
    /// How long they stayed on their last visit, in seconds (from the exit that followed it).
    pub last_dwell_seconds: Option<i64>,
    /// Entered after the last exit: still inside as far as the app said.
    pub inside: bool,
}

/// "1 h 5 min", "12 min", "40 s": how long someone stayed.
pub fn format_dwell(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(lat: &str, lon: &str, radius: &str) -> GeofenceForm {
        GeofenceForm {
            name: " Oxford Street car park ".into(),
            latitude: lat.into(),
            longitude: lon.into(),
            radius_m: radius.into(),
            active: Some("on".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_form_is_checked_field_by_field() {
        let ok = checked(&form("51,5154", "\u{2212}0.1419", "150")).expect("a good form");
        assert_eq!(ok.name, "Oxford Street car park");
        assert_eq!(
            (ok.latitude, ok.longitude, ok.radius_m),
            (51.5154, -0.1419, 150)
        );
        assert!(ok.active && ok.store_id.is_none());
        let field = |f: GeofenceForm| checked(&f).expect_err("a bad form").0;
        assert_eq!(field(form("91", "0", "150")), "latitude");
        assert_eq!(field(form("51.5", "NaN", "150")), "longitude");
        assert_eq!(field(form("51.5", "inf", "150")), "longitude");
        assert_eq!(field(form("51.5", "0", "10")), "radius_m");
        assert_eq!(field(form("51.5", "0", "1.5")), "radius_m");
        let mut unnamed = form("51.5", "0", "150");
        unnamed.name = "  ".into();
        assert_eq!(field(unnamed), "name");
    }

    #[test]
    fn dwell_reads_in_the_largest_unit() {
        assert_eq!(format_dwell(40), "40 s");
        assert_eq!(format_dwell(725), "12 min");
        assert_eq!(format_dwell(3900), "1 h 5 min");
    }
}
