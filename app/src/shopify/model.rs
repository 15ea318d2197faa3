//! What the Integrations screen shows and sends: the Shopify settings and deliveries.

use serde::{Deserialize, Serialize};

/// Where Shopify posts its webhooks (the shop's admin takes the full URL).
pub const WEBHOOK_PATH: &str = "/api/v1/webhooks/shopify";

/// Most points one unit of currency may earn.
pub const MAX_POINTS_PER_UNIT: i64 = 1000;

/// What an order from someone no customer matches does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum UnknownCustomers {
    /// A customer is added from the order's name, email and phone.
    #[default]
    Create,
    /// The order is refused (logged, answered 200 so Shopify does not retry it).
    Refuse,
}

impl UnknownCustomers {
    /// Stored and form value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Refuse => "refuse",
        }
    }

    /// The setting for a stored or form value (`create` for anything else).
    pub fn parse(value: &str) -> Self {
        match value {
            "refuse" => Self::Refuse,
            _ => Self::Create,
        }
    }
}

/// The Shopify settings as the screen shows them (never the secret itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopifySettings {
    /// The secret's last four characters, when one is set.
    pub secret_hint: Option<String>,
    /// What an order from an unknown customer does.
    pub unknown_customers: UnknownCustomers,
    /// Points a paid order earns per whole unit of its currency (0: orders earn none here).
    pub points_per_unit: i64,
    /// When a delivery last came with a wrong signature (a wrong or old secret), ms.
    pub last_bad_signature_at: Option<i64>,
}

/// The settings form; an empty secret keeps the one set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsForm {
    /// The webhook signing secret from the shop's admin.
    #[serde(default)]
    pub secret: String,
    /// `create` or `refuse`.
    #[serde(default)]
    pub unknown_customers: String,
    /// Points per unit spent, as typed.
    #[serde(default)]
    pub points_per_unit: String,
}

/// One webhook delivery and what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Shopify's `X-Shopify-Webhook-Id`.
    pub webhook_id: String,
    /// `orders/paid`, `refunds/create`, …
    pub topic: String,
    /// The shop that sent it.
    pub shop_domain: String,
    /// When it arrived, ms.
    pub received_at: i64,
    /// `recorded`, `already recorded`, `ignored`, `refused`, `failed` or `processing`.
    pub outcome: String,
    /// What happened, in words (no personal data).
    pub detail: String,
    /// The customer it was recorded for.
    pub customer_id: Option<String>,
    /// How many times Shopify sent it again (answered with no effect).
    pub replays: i64,
}

/// The secret as typed: `None` keeps the stored one; otherwise it must look like a signing
/// secret (16 to 200 visible characters).
pub fn checked_secret(input: &str) -> Result<Option<String>, &'static str> {
    let secret = input.trim();
    if secret.is_empty() {
        return Ok(None);
    }
    if secret.len() < 16 || secret.len() > 200 || secret.chars().any(|c| !c.is_ascii_graphic()) {
        return Err("Paste the signing secret from the shop's admin (Settings → Notifications → Webhooks): 16 or more characters, no spaces.");
    }
    Ok(Some(secret.to_string()))
}

/// Points per unit as typed: a whole number from 0 to [`MAX_POINTS_PER_UNIT`].
pub fn checked_points_per_unit(input: &str) -> Result<i64, String> {
    match input.trim().parse::<i64>() {
        Ok(n) if (0..=MAX_POINTS_PER_UNIT).contains(&n) => Ok(n),
        _ => Err(format!(
            "Enter a whole number from 0 to {MAX_POINTS_PER_UNIT} (0: orders earn no points here)."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_secret_keeps_the_stored_one_and_a_short_one_is_refused() {
        assert_eq!(checked_secret("  "), Ok(None));
        assert!(checked_secret("short").is_err());
        assert!(checked_secret("has a space in it, sixteen+").is_err());
        assert_eq!(
            checked_secret(" shpss_0123456789abcdef ")
                .expect("a good secret")
                .as_deref(),
            Some("shpss_0123456789abcdef")
        );
    }

    #[test]
    fn points_per_unit_is_a_bounded_whole_number() {
        assert_eq!(checked_points_per_unit("0"), Ok(0));
        assert_eq!(checked_points_per_unit(" 10 "), Ok(10));
        assert!(checked_points_per_unit("-1").is_err());
        assert!(checked_points_per_unit("1.5").is_err());
        assert!(checked_points_per_unit("1001").is_err());
    }
}
