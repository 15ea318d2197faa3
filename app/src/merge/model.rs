//! What a merge preview shows, what a merge and an undo answer, and the merge history.

use serde::{Deserialize, Serialize};

/// One side of a merge as the preview names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeSide {
    /// Customer id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Row version the preview read: the merge is refused if either changed since.
    pub version: i64,
    /// Points balance now.
    pub points_balance: i64,
    /// Purchases, lifetime.
    pub purchase_count: i64,
    /// Purchases, spend and refunds per currency, the organisation's currency first.
    pub spend: Vec<crate::money::CurrencyTotal>,
    /// Tier now.
    pub tier: Option<String>,
    /// A test persona.
    pub is_test: bool,
    /// Restricted (GDPR art. 18) since, if so.
    pub restricted_at: Option<i64>,
}

/// A field both profiles fill differently: the person merging picks one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldConflict {
    /// `name`, `date_of_birth`, `address`, `home_store_id`, `email_opt_in`, …, or
    /// `attribute:<key>`.
    pub field: String,
    /// What people call it.
    pub label: String,
    /// The survivor's value as shown (hidden without customers.view_pii where personal).
    pub survivor: String,
    /// The absorbed profile's value as shown.
    pub absorbed: String,
    /// Whether the preview suggests the absorbed profile's value (an opt-out wins over an
    /// opt-in: the stricter consent).
    pub suggest_absorbed: bool,
}

/// What a merge of `absorbed` into `survivor` would do; nothing is written to show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergePreview {
    /// The profile that stays.
    pub survivor: MergeSide,
    /// The profile that goes (its address leads to the survivor afterwards).
    pub absorbed: MergeSide,
    /// What moves to the survivor: (what, how many), e.g. ("events", 120).
    pub moves: Vec<(String, i64)>,
    /// The absorbed profile's identifiers that move (masked without customers.view_pii).
    pub identifiers: Vec<String>,
    /// Fields the survivor lacks and takes from the absorbed profile.
    pub filled: Vec<String>,
    /// Fields to choose one by one.
    pub conflicts: Vec<FieldConflict>,
    /// The survivor's points balance after the merge.
    pub points_after: i64,
    /// Purchases after the merge.
    pub purchases_after: i64,
    /// Spend per currency once merged (never added across currencies).
    pub spend_after: Vec<crate::money::CurrencyTotal>,
    /// The organisation's currency (shown with its symbol).
    pub home_currency: String,
    /// The tier the survivor keeps before the tier rules are applied to the combined points
    /// (the higher of the two).
    pub tier_after: Option<String>,
    /// Why the merge cannot be done, if it cannot.
    pub refusal: Option<String>,
    /// One side is restricted (GDPR art. 18): the merge needs an explicit confirmation, and
    /// the survivor stays restricted.
    pub needs_restriction_confirmation: bool,
}

/// A merge done: its id and where to go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeDone {
    /// The merge record.
    pub merge_id: String,
    /// The survivor.
    pub survivor_id: String,
}

/// An undo done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoDone {
    /// The restored customer.
    pub restored_id: String,
    /// Events that arrived for the survivor after the merge and stay with it.
    pub events_kept: i64,
    /// Identifiers of the restored customer that stay with the survivor (changed or removed
    /// there since the merge).
    pub identifiers_kept: i64,
}

/// One merge in a customer's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeRecord {
    /// Merge id.
    pub id: String,
    /// The survivor.
    pub survivor_id: String,
    /// The absorbed customer.
    pub absorbed_id: String,
    /// The absorbed customer's name at the merge (blank once forgotten).
    pub absorbed_name: String,
    /// When (epoch ms).
    pub merged_at: i64,
    /// Who merged.
    pub merged_by: String,
    /// When it was undone, if it was.
    pub undone_at: Option<i64>,
    /// Who undid it.
    pub undone_by: Option<String>,
    /// What moved: (what, how many).
    pub moved: Vec<(String, i64)>,
}

/// The field choices of a merge request: a JSON array of names (`name`, `address`,
/// `attribute:<key>`, …); blank means none.
#[cfg(feature = "ssr")]
pub fn parse_choices(input: Option<&str>) -> Result<Vec<String>, crate::error::AppError> {
    match input.map(str::trim) {
        None | Some("") => Ok(Vec::new()),
        Some(json) => serde_json::from_str(json).map_err(|_| {
            crate::error::AppError::validation(
                "keep_absorbed",
                "The field choices must be a JSON array of field names.",
            )
        }),
    }
}

/// What moved, as counted words: `("events", 1)` → "1 event".
pub fn moved_phrase(what: &str, n: i64) -> String {
    const SINGULAR: [(&str, &str); 11] = [
        ("identifiers", "identifier"),
        ("events", "event"),
        ("points ledger entries", "points ledger entry"),
        ("purchases", "purchase"),
        (
            "promo-code claims and failed claims",
            "promo-code claim or failed claim",
        ),
        ("tags", "tag"),
        ("notes", "note"),
        ("offers held", "offer held"),
        ("customer offers", "offer"),
        ("support tickets", "support ticket"),
        ("privacy requests", "privacy request"),
    ];
    let singular = SINGULAR
        .iter()
        .find(|(plural, _)| *plural == what)
        .map_or(what, |(_, one)| one);
    crate::words::count(n, singular, what)
}
