//! How each kind of event reads in the stream: a one-line summary and its details.

use crate::time::{format_count, format_money};
use serde_json::Value;

/// The stored facts of one event that the description draws on.
pub struct EventFacts<'a> {
    /// Machine name of the type.
    pub event_type: &'a str,
    /// Name of the store, if the event happened in one.
    pub store_name: Option<&'a str>,
    /// Money amount in minor units.
    pub amount_cents: Option<i64>,
    /// Change to the points balance.
    pub points_delta: Option<i64>,
    /// Where it came from.
    pub source: &'a str,
    /// Type-specific attributes.
    pub payload: &'a Value,
}

/// The one-line summary and the additional details of an event.
pub fn describe(facts: &EventFacts<'_>) -> (String, Vec<(String, String)>) {
    let text = |key: &str| facts.payload.get(key).and_then(Value::as_str);
    let points = facts
        .points_delta
        .map(|p| format!("{} points", format_count(p.abs())));
    let summary = match facts.event_type {
        "purchase" => format!(
            "Spent {} {}{}",
            facts.amount_cents.map(format_money).unwrap_or_default(),
            text("currency").unwrap_or("GBP"),
            facts
                .store_name
                .map(|s| format!(" at {s}"))
                .unwrap_or_default()
        ),
        "points_earned" | "points_comped" => format!("+{}", points.unwrap_or_default()),
        "points_used" | "points_deducted" | "points_expired" => {
            format!("−{}", points.unwrap_or_default())
        }
        "tier_promoted" => format!("Promoted to {}", text("tier").unwrap_or("a new tier")),
        "tier_demoted" => format!("Demoted to {}", text("tier").unwrap_or("a lower tier")),
        "reward_redeemed" => format!("Redeemed {}", text("reward").unwrap_or("a reward")),
        "offer_redeemed" => format!("Redeemed offer {}", text("offer").unwrap_or("")),
        "promo_code_claimed" => format!("Claimed code {}", text("code").unwrap_or("")),
        "promo_code_claim_error" => format!(
            "Claim of {} failed: {}",
            text("code").unwrap_or("a code"),
            text("reason").unwrap_or("unknown reason")
        ),
        "tag_appended" => format!("Tagged {}", text("tag").unwrap_or("")),
        "campaign_progress" => format!(
            "{}: {} of {}",
            text("campaign").unwrap_or("Campaign"),
            facts
                .payload
                .get("progress")
                .and_then(Value::as_i64)
                .unwrap_or(0),
            facts
                .payload
                .get("goal")
                .and_then(Value::as_i64)
                .unwrap_or(0)
        ),
        "app_session" | "device_seen" => format!(
            "{} on {}",
            super::event_label(facts.event_type),
            text("platform").unwrap_or("an unknown platform")
        ),
        "status_changed" => format!(
            "Status changed from {} to {}",
            text("from").unwrap_or("?"),
            text("to").unwrap_or("?")
        ),
        "customer_created" => format!("Joined via {}", facts.source),
        other => super::event_label(other),
    };
    let mut details = vec![("Source".to_string(), facts.source.to_string())];
    if let Some(store) = facts.store_name {
        details.push(("Store".into(), store.to_string()));
    }
    if let Some(object) = facts.payload.as_object() {
        details.extend(
            object
                .iter()
                .map(|(key, value)| (super::event_label(key), render(value))),
        );
    }
    (summary, details)
}

fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(render).collect::<Vec<_>>().join("; "),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{}: {}", super::event_label(k), render(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_purchase_reads_as_spend_at_a_store() {
        let payload = json!({"currency": "GBP", "items": [{"name": "Flat white", "qty": 2}]});
        let (summary, details) = describe(&EventFacts {
            event_type: "purchase",
            store_name: Some("Leeds Briggate"),
            amount_cents: Some(640),
            points_delta: None,
            source: "pos",
            payload: &payload,
        });
        assert_eq!(summary, "Spent 6.40 GBP at Leeds Briggate");
        assert!(details.contains(&("Items".into(), "Name: Flat white, Qty: 2".into())));
    }

    #[test]
    fn points_used_shows_a_minus_sign() {
        let (summary, _) = describe(&EventFacts {
            event_type: "points_used",
            store_name: None,
            amount_cents: None,
            points_delta: Some(-1500),
            source: "app",
            payload: &Value::Null,
        });
        assert_eq!(summary, "−1,500 points");
    }
}
