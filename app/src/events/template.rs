//! Platform-view templates: how an event type reads in the stream. One template language,
//! rendered by this code on the server (the stream) and in the browser (the preview on the
//! event-types screen).
//!
//! `{key}` is replaced by a fact of the event: any payload key, or `amount` (money),
//! `points` (size of the points change), `store`, `source`. A part in square brackets is
//! dropped when a placeholder inside it has no value: `Spent {amount}[ at {store}]`.
//! `{key|one|many}` adds the word for the count: `+{points|point|points}` reads `+1 point`,
//! `+25 points`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How one event type is shown and what the ingest API requires of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventTypeDef {
    /// Machine name, e.g. `purchase`.
    pub name: String,
    /// Group in the stream's category filter.
    pub category: String,
    /// One-line summary template.
    pub summary_template: String,
    /// Payload keys shown under "additional details", in order; empty shows them all.
    pub detail_fields: Vec<String>,
    /// Payload keys a custom type requires (built-in types have their own schema).
    pub required_fields: Vec<String>,
    /// Built in (schema in code) or added by an admin.
    pub builtin: bool,
    /// Whether the ingest API takes it.
    pub ingestible: bool,
}

/// The facts of one event a template can use.
pub struct Facts<'a> {
    /// Type-specific attributes.
    pub payload: &'a Value,
    /// Money amount, formatted.
    pub amount: Option<String>,
    /// Size of the points change, formatted.
    pub points: Option<String>,
    /// Store name.
    pub store: Option<&'a str>,
    /// Where it came from.
    pub source: &'a str,
}

impl Facts<'_> {
    fn value(&self, key: &str) -> Option<String> {
        let text = match key {
            "amount" => self.amount.clone(),
            "points" => self.points.clone(),
            "store" => self.store.map(str::to_string),
            "source" => Some(self.source.to_string()),
            _ => self.payload.get(key).map(render_value),
        };
        text.filter(|t| !t.is_empty() && t != "—")
    }
}

/// `template` with its placeholders filled from `facts`.
pub fn render_summary(template: &str, facts: &Facts<'_>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('[') {
        out.push_str(&fill(&rest[..open], facts).0);
        let Some(close) = rest[open..].find(']') else {
            rest = &rest[open..];
            break;
        };
        let (part, complete) = fill(&rest[open + 1..open + close], facts);
        if complete {
            out.push_str(&part);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(&fill(rest, facts).0);
    out.trim().to_string()
}

/// Fills placeholders; the flag says whether every one had a value.
fn fill(text: &str, facts: &Facts<'_>) -> (String, bool) {
    let mut out = String::new();
    let mut complete = true;
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                let mut parts = rest[open + 1..open + close].split('|').map(str::trim);
                let key = parts.next().unwrap_or_default();
                let words = (parts.next(), parts.next());
                match (facts.value(key), words) {
                    (Some(value), (Some(one), Some(many))) => {
                        let word = if value == "1" { one } else { many };
                        out.push_str(&format!("{value} {word}"));
                    }
                    (Some(value), _) => out.push_str(&value),
                    (None, _) => complete = false,
                }
                rest = &rest[open + close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    (out, complete)
}

/// The additional details of an event: `(label, value)` for the chosen payload keys (all of
/// them when `fields` is empty), in order.
pub fn detail_rows(fields: &[String], payload: &Value) -> Vec<(String, String)> {
    let Some(object) = payload.as_object() else {
        return Vec::new();
    };
    let label = |key: &str| super::event_label(key);
    if fields.is_empty() {
        return object
            .iter()
            .map(|(key, value)| (label(key), render_value(value)))
            .collect();
    }
    fields
        .iter()
        .filter_map(|key| {
            object
                .get(key)
                .map(|value| (label(key), render_value(value)))
        })
        .collect()
}

/// A JSON value as text: strings bare, lists joined by `; `, objects as `Key: value`.
pub fn render_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(render_value)
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{}: {}", super::event_label(k), render_value(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// Splits a comma-separated list of payload keys, trimmed, without blanks.
pub fn field_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts(payload: &Value, store: Option<&'static str>) -> Facts<'static> {
        let payload: &'static Value = Box::leak(Box::new(payload.clone()));
        Facts {
            payload,
            amount: Some("6.40".into()),
            points: None,
            store,
            source: "pos",
        }
    }

    #[test]
    fn a_count_takes_its_word() {
        let template = "+{points|point|points}[ ({reason})]";
        let mut one = facts(&serde_json::json!({}), None);
        one.points = Some("1".into());
        assert_eq!(render_summary(template, &one), "+1 point");
        let mut many = facts(&serde_json::json!({"reason": "goodwill"}), None);
        many.points = Some("1,250".into());
        assert_eq!(render_summary(template, &many), "+1,250 points (goodwill)");
    }

    #[test]
    fn placeholders_fill_and_optional_parts_drop() {
        let template = "Spent {amount} {currency}[ at {store}]";
        let payload = json!({"currency": "GBP"});
        assert_eq!(
            render_summary(template, &facts(&payload, Some("Leeds"))),
            "Spent 6.40 GBP at Leeds"
        );
        assert_eq!(
            render_summary(template, &facts(&payload, None)),
            "Spent 6.40 GBP"
        );
        assert_eq!(
            render_summary("{missing} text {", &facts(&payload, None)),
            "text {"
        );
        assert_eq!(
            render_summary("[unclosed {store}", &facts(&payload, None)),
            "[unclosed"
        );
    }

    #[test]
    fn details_follow_the_chosen_fields() {
        let payload = json!({"tier": "Gold", "items": [{"name": "Latte", "qty": 2}], "x": null});
        assert_eq!(
            detail_rows(&field_list("items, tier"), &payload),
            vec![
                ("Items".to_string(), "Name: Latte, Qty: 2".to_string()),
                ("Tier".to_string(), "Gold".to_string())
            ]
        );
        assert_eq!(detail_rows(&[], &payload).len(), 3);
    }
}
