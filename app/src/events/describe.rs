//! How an event reads in the stream: its type's summary template filled from the event, and
//! the additional details its type chooses.

use super::template::{detail_rows, render_summary, EventTypeDef, Facts};
use crate::money::Money;
use crate::time::format_count;
use serde_json::Value;

/// The stored facts of one event that the description draws on.
pub struct EventFacts<'a> {
    /// Machine name of the type.
    pub event_type: &'a str,
    /// Name of the store (from the catalogue), if the event happened in one.
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

/// Payload keys the "Store" detail already shows.
const STORE_KEYS: [&str; 2] = ["store_name", "store_city"];

/// The one-line summary and the additional details of an event of type `def` (`None` for a
/// type no longer in the registry: it reads as its name).
pub fn describe(
    def: Option<&EventTypeDef>,
    facts: &EventFacts<'_>,
) -> (String, Vec<(String, String)>) {
    let text = |key: &str| facts.payload.get(key).and_then(Value::as_str);
    // The name stored with the event is the one it had then; the catalogue's is today's.
    let store = text("store_name").or(facts.store_name);
    let summary = def
        .map(|def| {
            render_summary(
                &def.summary_template,
                &Facts {
                    payload: facts.payload,
                    amount: facts.amount_cents.map(|minor| {
                        Money::new(minor, text("currency").unwrap_or_default()).amount_text()
                    }),
                    points: facts.points_delta.map(|p| format_count(p.abs())),
                    store,
                    source: facts.source,
                },
            )
        })
        .filter(|summary| !summary.is_empty())
        .unwrap_or_else(|| super::event_label(facts.event_type));
    let mut details = vec![("Source".to_string(), facts.source.to_string())];
    if let Some(store) = store {
        let place = match text("store_city") {
            Some(city) => format!("{store}, {city}"),
            None => store.to_string(),
        };
        details.push(("Store".into(), place));
    }
    let fields = def.map(|d| d.detail_fields.as_slice()).unwrap_or_default();
    let mut payload = facts.payload.clone();
    if let Some(object) = payload.as_object_mut() {
        object.retain(|key, _| !STORE_KEYS.contains(&key.as_str()));
    }
    details.extend(detail_rows(fields, &payload));
    (summary, details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::merge;
    use serde_json::json;

    fn def(name: &str) -> EventTypeDef {
        merge(Vec::new())
            .into_iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    }

    #[test]
    fn a_purchase_reads_as_spend_at_a_store() {
        let payload = json!({"currency": "GBP", "items": [{"name": "Flat white", "qty": 2}],
                             "store_name": "Leeds Briggate", "store_city": "Leeds"});
        let (summary, details) = describe(
            Some(&def("purchase")),
            &EventFacts {
                event_type: "purchase",
                store_name: Some("Leeds (renamed)"),
                amount_cents: Some(640),
                points_delta: None,
                source: "pos",
                payload: &payload,
            },
        );
        assert_eq!(summary, "Spent 6.40 GBP at Leeds Briggate");
        assert!(details.contains(&("Store".into(), "Leeds Briggate, Leeds".into())));
        assert!(details.contains(&("Items".into(), "Name: Flat white, Qty: 2".into())));
        assert!(!details.iter().any(|(label, _)| label == "Store name"));
    }

    #[test]
    fn points_used_shows_a_minus_sign_and_unknown_types_their_name() {
        let facts = EventFacts {
            event_type: "points_used",
            store_name: None,
            amount_cents: None,
            points_delta: Some(-1500),
            source: "app",
            payload: &Value::Null,
        };
        assert_eq!(
            describe(Some(&def("points_used")), &facts).0,
            "−1,500 points"
        );
        let gone = EventFacts {
            event_type: "survey_done",
            ..facts
        };
        assert_eq!(describe(None, &gone).0, "Survey done");
    }
}
