//! Property tests: the validator and the envelope reader take any JSON without panicking,
//! and what they accept keeps its promises.

use super::events_of;
use super::validate::{validate, EARLIEST_MS, MAX_FUTURE_MS};
use crate::events::{merge, EVENT_TYPES};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const NOW: i64 = 1_795_000_000_000;

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Keys the validator looks at, mixed with random ones.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "event_id",
            "type",
            "occurred_at",
            "customer",
            "payload",
            "source",
            "store_id",
            "external_id",
            "email",
            "phone",
            "card_number",
            "id",
            "amount_cents",
            "currency",
            "items",
            "sku",
            "qty",
            "price_cents",
            "points",
            "tier",
            "tag",
            "events",
        ])
        .prop_map(str::to_string),
        "[a-z_]{1,8}",
    ]
}

/// Events that are nearly right: real types and envelope keys, random values.
fn event_like() -> impl Strategy<Value = Value> {
    let types: Vec<&str> = EVENT_TYPES.iter().map(|t| t.name).collect();
    (
        prop::sample::select(types),
        any_json(),
        prop_oneof![
            Just(json!("2026-11-01T10:00:00Z")),
            any_json(),
            (0i64..4_000_000_000).prop_map(|s| json!(chrono::DateTime::from_timestamp(s, 0)
                .map(|t| t.to_rfc3339())
                .unwrap_or_default())),
        ],
        prop::collection::btree_map(field_name(), any_json(), 0..5),
        any_json(),
    )
        .prop_map(|(event_type, customer, at, payload, id)| {
            let mut event = Map::new();
            event.insert("type".into(), json!(event_type));
            event.insert("customer".into(), customer);
            event.insert("occurred_at".into(), at);
            event.insert(
                "payload".into(),
                Value::Object(payload.into_iter().collect()),
            );
            event.insert("event_id".into(), id);
            Value::Object(event)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_json_never_panics_the_validator(value in any_json()) {
        let _ = validate(&value, NOW, &merge(Vec::new()), &[]);
        let _ = events_of(value);
    }

    #[test]
    fn accepted_events_keep_the_rules(value in event_like()) {
        match validate(&value, NOW, &merge(Vec::new()), &[]) {
            Ok(event) => {
                prop_assert!(event.occurred_at >= EARLIEST_MS);
                prop_assert!(event.occurred_at <= NOW + MAX_FUTURE_MS);
                prop_assert!(!event.client_event_id.is_empty());
                prop_assert!(EVENT_TYPES.iter().any(|t| t.name == event.event_type && t.ingestible));
            }
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    }
}
