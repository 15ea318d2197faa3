//! Purchases as the Purchases sub-tab shows them.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// One purchase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purchase {
    /// Event id.
    pub id: String,
    /// When.
    pub at: EpochMillis,
    /// Total in the ISO 4217 minor units of `currency`.
    pub amount_cents: i64,
    /// ISO currency.
    pub currency: String,
    /// Store name, if bought in a store.
    pub store: Option<String>,
    /// `2 × Latte` per line item.
    pub items: Vec<String>,
    /// Offers redeemed with it.
    pub offers: Vec<String>,
}

/// The order of the list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PurchaseSort {
    /// Newest first.
    #[default]
    Newest,
    /// Oldest first.
    Oldest,
    /// Largest total first.
    Largest,
}

impl PurchaseSort {
    /// Every order with its label, for the sort control.
    pub const ALL: [(PurchaseSort, &'static str); 3] = [
        (PurchaseSort::Newest, "Newest first"),
        (PurchaseSort::Oldest, "Oldest first"),
        (PurchaseSort::Largest, "Largest total first (by currency)"),
    ];
}

/// One page of purchases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchasePage {
    /// The purchases on this page.
    pub purchases: Vec<Purchase>,
    /// Purchases in all.
    pub total: i64,
    /// Purchases per page.
    pub page_size: i64,
    /// The organisation's currency (shown with its symbol, others with their code).
    pub home_currency: String,
}
