//! Offers as the Offers sub-tab shows them.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// An offer of the programme's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogOffer {
    /// Catalogue id.
    pub id: String,
    /// Name.
    pub name: String,
    /// What the customer gets.
    pub description: String,
    /// Days it stays valid once issued.
    pub valid_days: i64,
}

/// An offer a customer holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldOffer {
    /// Id of this holding.
    pub id: String,
    /// Offer name.
    pub name: String,
    /// When issued.
    pub issued_at: EpochMillis,
    /// When it expires.
    pub expires_at: EpochMillis,
    /// When redeemed, if it was.
    pub redeemed_at: Option<EpochMillis>,
    /// Who issued it.
    pub issued_by: String,
}

impl HeldOffer {
    /// `Redeemed`, `Expired` or `Issued`, as of `now`.
    pub fn status(&self, now: EpochMillis) -> &'static str {
        match self.redeemed_at {
            Some(_) => "Redeemed",
            None if self.expires_at <= now => "Expired",
            None => "Issued",
        }
    }
}

/// The customer's offers, the catalogue, and the server's clock for their status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferList {
    /// Held offers, newest first.
    pub held: Vec<HeldOffer>,
    /// What can be issued.
    pub catalog: Vec<CatalogOffer>,
    /// The server's time when listed.
    pub now: EpochMillis,
}
