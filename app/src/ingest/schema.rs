//! The payload schema of each event type the ingest API takes: which fields, of what kind,
//! which are required. Fields not listed are kept as custom attributes.

use serde_json::Value;

/// What a payload field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A non-blank string of at most 200 characters.
    Text,
    /// A whole number ≥ 0.
    Count,
    /// A whole number ≥ 1.
    Positive,
    /// true or false.
    Bool,
    /// An ISO 4217 currency code (`GBP`, `JPY`).
    Currency,
    /// A decimal amount in a currency's major units, as a string or a number (`"14319"`,
    /// `"404.95"`): checked against the payload's currency.
    Amount,
    /// An array of non-blank strings.
    TextList,
    /// Line items: an array of `{sku, qty, price_cents?, title?}`.
    Items,
}

/// One field of a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// JSON key.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether the event is refused without it.
    pub required: bool,
}

const fn req(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: true,
    }
}

const fn opt(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: false,
    }
}

const POINTS: &[Field] = &[req("points", Kind::Positive), opt("reason", Kind::Text)];
const DEVICE: &[Field] = &[
    req("platform", Kind::Text),
    opt("property", Kind::Text),
    opt("device_id", Kind::Text),
    opt("model", Kind::Text),
    opt("os_version", Kind::Text),
    opt("app_version", Kind::Text),
    opt("screen", Kind::Text),
    opt("push_enabled", Kind::Bool),
    opt("duration_s", Kind::Count),
];

/// The fields of `event_type`'s payload (empty for types without a schema).
pub fn payload_fields(event_type: &str) -> &'static [Field] {
    match event_type {
        "purchase" => {
            const {
                &[
                    opt("amount_cents", Kind::Count),
                    opt("amount", Kind::Amount),
                    req("currency", Kind::Currency),
                    opt("items", Kind::Items),
                    opt("offers_redeemed", Kind::TextList),
                ]
            }
        }
        "refund" => {
            const {
                &[
                    req("order_id", Kind::Text),
                    opt("amount_cents", Kind::Count),
                    opt("amount", Kind::Amount),
                    req("currency", Kind::Currency),
                    opt("points", Kind::Positive),
                    opt("items", Kind::Items),
                    opt("reason", Kind::Text),
                ]
            }
        }
        "offer_redeemed" => const { &[req("offer", Kind::Text)] },
        "points_earned" | "points_used" | "points_comped" | "points_expired" => POINTS,
        "tier_promoted" | "tier_demoted" => const { &[req("tier", Kind::Text)] },
        "loyalty_rule_completed" => const { &[req("rule", Kind::Text)] },
        "reward_redeemed" => {
            const {
                &[
                    req("reward", Kind::Text),
                    opt("order_id", Kind::Text),
                    opt("status", Kind::Text),
                ]
            }
        }
        "reward_order_updated" => {
            const {
                &[
                    req("order_id", Kind::Text),
                    req("status", Kind::Text),
                    opt("carrier", Kind::Text),
                    opt("tracking_ref", Kind::Text),
                    opt("tracking_url", Kind::Text),
                ]
            }
        }
        "campaign_progress" => {
            const {
                &[
                    req("campaign", Kind::Text),
                    req("progress", Kind::Count),
                    req("goal", Kind::Positive),
                ]
            }
        }
        "promo_code_claimed" => const { &[req("code", Kind::Text)] },
        "promo_code_claim_error" => const { &[req("code", Kind::Text), req("reason", Kind::Text)] },
        "tag_appended" => const { &[req("tag", Kind::Text)] },
        "app_session" | "device_seen" => DEVICE,
        "geofence_entered" => const { &[req("geofence_id", Kind::Text)] },
        "geofence_exited" => {
            const {
                &[
                    req("geofence_id", Kind::Text),
                    opt("dwell_seconds", Kind::Count),
                ]
            }
        }
        "profile_updated" => const { &[opt("fields", Kind::TextList)] },
        _ => &[],
    }
}

/// +1 or −1 for the types whose `points` move the balance; `None` for the rest. Points move
/// only through these types, so a purchase and the points it earned are two events; a refund
/// may carry the points it takes back.
pub fn points_sign(event_type: &str) -> Option<i64> {
    match event_type {
        "points_earned" | "points_comped" => Some(1),
        "points_used" | "points_expired" | "refund" => Some(-1),
        _ => None,
    }
}

/// Whether an event of `event_type` whose points would take the balance below zero takes
/// back what is left instead of being refused: a refund is not refused because the points the
/// order earned were spent.
pub fn takes_what_is_left(event_type: &str) -> bool {
    event_type == "refund"
}

/// Largest amount or count accepted: 10^12 (no till rings up ten billion pounds).
const MAX_NUMBER: i64 = 1_000_000_000_000;

impl Kind {
    /// `Ok` when `value` is of this kind; else what is wrong.
    pub fn check(self, value: &Value) -> Result<(), &'static str> {
        match self {
            Kind::Text => text(value),
            Kind::Count => whole(value, 0),
            Kind::Positive => whole(value, 1),
            Kind::Bool if value.is_boolean() => Ok(()),
            Kind::Bool => Err("must be true or false"),
            Kind::Currency => match value.as_str() {
                Some(code) if crate::money::is_currency(code) => Ok(()),
                _ => Err("must be an ISO 4217 currency code in capitals, e.g. GBP, USD or JPY"),
            },
            Kind::Amount if value.is_string() || value.is_number() => Ok(()),
            Kind::Amount => Err("must be a decimal amount like \"12.50\""),
            Kind::TextList => match value.as_array() {
                Some(items) if items.iter().all(|item| text(item).is_ok()) => Ok(()),
                _ => Err("must be an array of non-blank strings"),
            },
            Kind::Items if value.is_array() => Ok(()),
            Kind::Items => Err("must be an array of line items"),
        }
    }

    /// Checks one line item; on failure the key at fault (`""` for the item itself).
    pub fn check_item(item: &Value) -> Result<(), (&'static str, &'static str)> {
        let Some(object) = item.as_object() else {
            return Err(("", "must be an object with sku and qty"));
        };
        match object.get("sku") {
            Some(sku) => text(sku).map_err(|m| ("sku", m))?,
            None => return Err(("sku", "is required")),
        }
        match object.get("qty") {
            Some(qty) => whole(qty, 1).map_err(|m| ("qty", m))?,
            None => return Err(("qty", "is required")),
        }
        match object.get("price_cents") {
            None | Some(Value::Null) => {}
            Some(price) => whole(price, 0).map_err(|m| ("price_cents", m))?,
        }
        match object.get("title") {
            None | Some(Value::Null) => Ok(()),
            Some(title) => text(title).map_err(|m| ("title", m)),
        }
    }
}

fn text(value: &Value) -> Result<(), &'static str> {
    match value.as_str() {
        Some(s) if s.trim().is_empty() => Err("must not be blank"),
        Some(s) if s.chars().count() > 200 => Err("is longer than 200 characters"),
        Some(_) => Ok(()),
        None => Err("must be a string"),
    }
}

fn whole(value: &Value, min: i64) -> Result<(), &'static str> {
    match value.as_i64() {
        Some(n) if n < min && min == 0 => Err("must not be negative"),
        Some(n) if n < min => Err("must be at least 1"),
        Some(n) if n > MAX_NUMBER => Err("is too large"),
        Some(_) => Ok(()),
        None => Err("must be a whole number"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kinds_accept_their_values_and_refuse_others() {
        assert!(Kind::Count.check(&json!(0)).is_ok());
        assert!(Kind::Count.check(&json!(-1)).is_err());
        assert!(Kind::Count.check(&json!(1.5)).is_err());
        assert!(Kind::Positive.check(&json!(0)).is_err());
        assert!(Kind::Currency.check(&json!("GBP")).is_ok());
        assert!(Kind::Currency.check(&json!("gbp")).is_err());
        assert!(Kind::TextList.check(&json!(["A", " "])).is_err());
        assert!(Kind::Text.check(&json!(" ")).is_err());
    }

    #[test]
    fn items_name_the_bad_key() {
        assert_eq!(Kind::check_item(&json!({"sku": "P1", "qty": 1})), Ok(()));
        assert_eq!(
            Kind::check_item(&json!({"qty": 1})),
            Err(("sku", "is required"))
        );
        assert_eq!(
            Kind::check_item(&json!({"sku": "P1", "qty": 2, "price_cents": -5})),
            Err(("price_cents", "must not be negative"))
        );
        assert!(Kind::check_item(&json!(7)).is_err());
    }
}
