//! Store and product types.

use serde::{Deserialize, Serialize};

/// A store of the programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Store {
    /// Store id, e.g. `LDN-001`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Street address.
    pub address: String,
    /// City.
    pub city: String,
    /// Postal code.
    pub postal_code: String,
    /// ISO 3166 alpha-2 country code.
    pub country: String,
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east.
    pub longitude: f64,
    /// Phone in E.164.
    pub phone: String,
    /// Opening hours, human readable.
    pub hours: String,
    /// Run by a franchisee.
    pub franchised: bool,
    /// Open around the clock.
    pub open_24h: bool,
    /// Takes part in promotions.
    pub promotions: bool,
}

/// A product of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// SKU.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Category.
    pub category: String,
    /// List price in minor units.
    pub price_cents: i64,
}
