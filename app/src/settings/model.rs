//! Organisation settings and the rules their values follow.

use serde::{Deserialize, Serialize};

/// How customer search works. Exactly one mode is on: exact match limits how much personal
/// data an agent sees while looking someone up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchMode {
    /// Only a full identifier (phone, card, email, id) finds a customer.
    Exact,
    /// Also partial names, dates of birth and lists of candidates.
    Advanced,
}

impl SearchMode {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Advanced => "advanced",
        }
    }

    /// The mode stored as `value` (unknown values mean exact, the safer mode).
    pub fn parse(value: &str) -> Self {
        if value == "advanced" {
            Self::Advanced
        } else {
            Self::Exact
        }
    }
}

/// A customer status flag the organisation uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusType {
    /// Stable id, e.g. `vip`.
    pub id: String,
    /// What agents read.
    pub name: String,
    /// Background colour of the flag, `#rrggbb` (white text is drawn on it).
    pub colour: String,
    /// Position in lists.
    pub sort_order: i64,
    /// New customers get this status.
    pub is_default: bool,
}

/// Everything on the settings screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSettings {
    /// The search mode.
    pub search_mode: SearchMode,
    /// The region phone numbers typed without a country code are read in, and shown in
    /// national format for (`GB`, `US`: libphonenumber's region ids).
    pub phone_region: String,
    /// What an admin should know about the region: that it was taken from a calling code
    /// several countries share, or which other regions read numbers the same way.
    pub phone_region_note: Option<String>,
    /// Every region to choose from: (id, "United States of America (US, +1)"), by name.
    pub phone_regions: Vec<(String, String)>,
    /// The organisation's currency (ISO 4217): shown first and with its symbol, and the one
    /// the analytics' money figures count.
    pub currency: String,
    /// Every currency to choose from: (code, "GBP · Pound sterling").
    pub currencies: Vec<(String, String)>,
    /// The IANA time zone dates and times are shown in (`UTC` until one is chosen).
    pub time_zone: String,
    /// Every zone name the server knows, for suggestions.
    pub time_zones: Vec<String>,
    /// Status types in order.
    pub status_types: Vec<StatusType>,
}

/// The id of the status new customers get: the one marked default, else the first listed
/// (empty when there are none).
pub fn default_status_id(statuses: &[StatusType]) -> String {
    statuses
        .iter()
        .find(|s| s.is_default)
        .or(statuses.first())
        .map(|s| s.id.clone())
        .unwrap_or_default()
}

/// The WCAG contrast ratio between white text and the `#rrggbb` colour, if it parses.
pub fn contrast_with_white(colour: &str) -> Option<f64> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| {
        let value = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).ok()?) / 255.0;
        Some(if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        })
    };
    let luminance = 0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?;
    Some(1.05 / (luminance + 0.05))
}

/// A slug id from a status name: `Fraud watch` → `fraud-watch`.
pub fn status_id_from_name(name: &str) -> String {
    let slug: String = name
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    slug.split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The organisation's currency until an admin chooses one.
pub const DEFAULT_CURRENCY: &str = "GBP";

/// The region phone numbers typed without a country code are read in until an admin
/// chooses one.
pub const DEFAULT_PHONE_REGION: &str = "GB";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_follows_wcag() {
        let black = contrast_with_white("#000000").unwrap_or_default();
        assert!((black - 21.0).abs() < 0.01);
        let white = contrast_with_white("#ffffff").unwrap_or_default();
        assert!((white - 1.0).abs() < 0.01);
        assert!(contrast_with_white("#1f7a3a").unwrap_or_default() > 4.5);
        assert_eq!(contrast_with_white("red"), None);
    }

    #[test]
    fn ids_are_slugs() {
        assert_eq!(status_id_from_name("  Fraud watch! "), "fraud-watch");
    }
}
