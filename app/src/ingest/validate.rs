//! Checks one incoming event against the envelope rules and its type's payload schema, naming
//! every bad field. Pure: no database, so it can be thrown random JSON.

use super::model::FieldError;
use super::schema::{payload_fields, points_sign, Kind};
use crate::attributes::{AttributeType, RESERVED_KEYS};
use crate::events::EventTypeDef;
use crate::identity::{phone_e164, Identifier, IdentifierKind};
use serde_json::{Map, Value};

/// Longest client event id, store id or identifier accepted.
pub const MAX_ID_LEN: usize = 128;
/// How far in the future `occurred_at` may be (clock skew of tills and phones): 5 minutes.
pub const MAX_FUTURE_MS: i64 = 5 * 60 * 1000;
/// The earliest `occurred_at` accepted: 2000-01-01T00:00:00Z.
pub const EARLIEST_MS: i64 = 946_684_800_000;
/// Longest text value anywhere in a payload, in characters.
pub const MAX_TEXT_LEN: usize = 1_000;
/// Longest key anywhere in a payload, in characters.
pub const MAX_KEY_LEN: usize = 64;
/// Deepest nesting of objects and arrays inside a payload.
pub const MAX_DEPTH: usize = 4;
/// Largest payload, as compact JSON, in bytes.
pub const MAX_PAYLOAD_BYTES: usize = 16 * 1024;

/// An event that passed validation, ready to be matched to its customer.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvent {
    /// The sender's id, for idempotency.
    pub client_event_id: String,
    /// Machine name of the type.
    pub event_type: String,
    /// When it happened (epoch ms).
    pub occurred_at: i64,
    /// Who it is about.
    pub customer: Identifier,
    /// Where it came from (`pos`, `app`, `web`, …); `api` when not given.
    pub source: String,
    /// The store it happened in, if any.
    pub store_id: Option<String>,
    /// A purchase's amount in minor units.
    pub amount_cents: Option<i64>,
    /// Change to the points balance (signed).
    pub points_delta: Option<i64>,
    /// The rest of the payload, stored as JSON.
    pub payload: Map<String, Value>,
}

/// Validates one event (`value` is the JSON object) against the event-type `registry` and, for
/// `profile_updated`, the declared profile `attributes`; `now` is epoch ms. Returns every field error found, with paths relative to the event
/// (`payload.amount_cents`).
pub fn validate(
    value: &Value,
    now: i64,
    registry: &[EventTypeDef],
    attributes: &[AttributeType],
) -> Result<ValidEvent, Vec<FieldError>> {
    let mut errors = Vec::new();
    let Some(event) = value.as_object() else {
        return Err(vec![FieldError::new("", "must be a JSON object")]);
    };
    let client_event_id = id_text(event, "event_id", true, &mut errors);
    let event_type = event_type(event, registry, &mut errors);
    let occurred_at = occurred_at(event, now, &mut errors);
    let customer = customer(event, &mut errors);
    let source = match event.get("source") {
        None | Some(Value::Null) => Some("api".to_string()),
        Some(_) => id_text(event, "source", false, &mut errors),
    };
    let store_id = id_text(event, "store_id", false, &mut errors);
    let payload = match event.get("payload") {
        None | Some(Value::Null) => Some(Map::new()),
        Some(Value::Object(map)) => Some(map.clone()),
        Some(_) => {
            errors.push(FieldError::new("payload", "must be a JSON object"));
            None
        }
    };
    let (amount_cents, points_delta, payload) = match (event_type, payload) {
        (Some(event_type), Some(payload)) => {
            check_payload(event_type, payload, attributes, &mut errors)
        }
        _ => (None, None, Map::new()),
    };
    match (client_event_id, event_type, occurred_at, customer, source) {
        (
            Some(client_event_id),
            Some(event_type),
            Some(occurred_at),
            Some(customer),
            Some(source),
        ) if errors.is_empty() => Ok(ValidEvent {
            client_event_id,
            event_type: event_type.name.clone(),
            occurred_at,
            customer,
            source,
            store_id,
            amount_cents,
            points_delta,
            payload,
        }),
        _ => Err(errors),
    }
}

fn id_text(
    event: &Map<String, Value>,
    field: &str,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match event.get(field) {
        None | Some(Value::Null) if required => {
            errors.push(FieldError::new(field, "is required"));
            None
        }
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => match checked_id(text) {
            Ok(text) => Some(text),
            Err(message) => {
                errors.push(FieldError::new(field, message));
                None
            }
        },
        Some(_) => {
            errors.push(FieldError::new(field, "must be a string"));
            None
        }
    }
}

fn checked_id(text: &str) -> Result<String, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        Err("must not be blank")
    } else if text.len() > MAX_ID_LEN {
        Err("is longer than 128 characters")
    } else if text.chars().any(char::is_control) {
        Err("must not contain control characters")
    } else {
        Ok(text.to_string())
    }
}

fn event_type<'r>(
    event: &Map<String, Value>,
    registry: &'r [EventTypeDef],
    errors: &mut Vec<FieldError>,
) -> Option<&'r EventTypeDef> {
    match event.get("type") {
        Some(Value::String(name)) => match registry.iter().find(|t| &t.name == name) {
            Some(known) if known.ingestible => Some(known),
            Some(_) => {
                errors.push(FieldError::new(
                    "type",
                    format!("“{name}” events are written by the console, not the API"),
                ));
                None
            }
            None => {
                errors.push(FieldError::new(
                    "type",
                    format!("unknown event type “{}”", clip(name)),
                ));
                None
            }
        },
        None | Some(Value::Null) => {
            errors.push(FieldError::new("type", "is required"));
            None
        }
        Some(_) => {
            errors.push(FieldError::new("type", "must be a string"));
            None
        }
    }
}

fn occurred_at(event: &Map<String, Value>, now: i64, errors: &mut Vec<FieldError>) -> Option<i64> {
    let text = match event.get("occurred_at") {
        Some(Value::String(text)) => text,
        None | Some(Value::Null) => {
            errors.push(FieldError::new("occurred_at", "is required"));
            return None;
        }
        Some(_) => {
            errors.push(FieldError::new(
                "occurred_at",
                "must be an RFC 3339 date-time string, e.g. 2026-11-22T10:15:00Z",
            ));
            return None;
        }
    };
    let Ok(parsed) = chrono::DateTime::parse_from_rfc3339(text) else {
        errors.push(FieldError::new(
            "occurred_at",
            "is not an RFC 3339 date-time with a time zone, e.g. 2026-11-22T10:15:00Z",
        ));
        return None;
    };
    let millis = parsed.timestamp_millis();
    if millis > now.saturating_add(MAX_FUTURE_MS) {
        errors.push(FieldError::new("occurred_at", "is in the future"));
        None
    } else if millis < EARLIEST_MS {
        errors.push(FieldError::new("occurred_at", "is before the year 2000"));
        None
    } else {
        Some(millis)
    }
}

const IDENTIFIERS: [(&str, IdentifierKind); 5] = [
    ("id", IdentifierKind::CustomerId),
    ("external_id", IdentifierKind::ExternalId),
    ("email", IdentifierKind::Email),
    ("phone", IdentifierKind::Phone),
    ("card_number", IdentifierKind::Card),
];

fn customer(event: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Option<Identifier> {
    let object = match event.get("customer") {
        Some(Value::Object(object)) => object,
        None | Some(Value::Null) => {
            errors.push(FieldError::new("customer", "is required"));
            return None;
        }
        Some(_) => {
            errors.push(FieldError::new(
                "customer",
                "must be an object with one identifier, e.g. {\"external_id\": \"C-1001\"}",
            ));
            return None;
        }
    };
    let given: Vec<_> = IDENTIFIERS
        .iter()
        .filter(|(key, _)| object.get(*key).is_some_and(|v| !v.is_null()))
        .collect();
    let [(key, kind)] = given[..] else {
        errors.push(FieldError::new(
            "customer",
            "give exactly one of id, external_id, email, phone, card_number",
        ));
        return None;
    };
    let field = format!("customer.{key}");
    let Some(raw) = object.get(*key).and_then(Value::as_str) else {
        errors.push(FieldError::new(field, "must be a string"));
        return None;
    };
    let value = match checked_id(raw) {
        Ok(value) => value,
        Err(message) => {
            errors.push(FieldError::new(field, message));
            return None;
        }
    };
    let normalised = match kind {
        IdentifierKind::Email if value.contains('@') => {
            Ok(crate::identity::email_key(&value).unwrap_or_else(|| value.to_lowercase()))
        }
        IdentifierKind::Email => Err("is not an email address"),
        IdentifierKind::Phone => phone_e164(&value, "")
            .filter(|_| value.starts_with('+'))
            .ok_or("must be in E.164 form, e.g. +447700900123"),
        IdentifierKind::Card if value.chars().all(|c| c.is_ascii_digit()) => Ok(value),
        IdentifierKind::Card => Err("must be digits only"),
        IdentifierKind::CustomerId => uuid::Uuid::parse_str(&value)
            .map(|id| id.hyphenated().to_string())
            .map_err(|_| "is not a customer id (UUID)"),
        IdentifierKind::ExternalId => Ok(value),
    };
    match normalised {
        Ok(value) => Some(Identifier { kind: *kind, value }),
        Err(message) => {
            errors.push(FieldError::new(field, message));
            None
        }
    }
}

type Checked = (Option<i64>, Option<i64>, Map<String, Value>);

/// A purchase's or refund's amount in its currency's ISO 4217 minor units, as `amount_cents`:
/// given so (an integer: cents of USD, yen of JPY, fils of KWD) or as `amount`, a decimal in
/// major units (`"14319"` yen, `"404.95"` dollars) refused at the field when it has more
/// decimals than the currency. Exactly one of the two.
fn read_amount(payload: &mut Map<String, Value>, errors: &mut Vec<FieldError>) {
    let amount = payload.remove("amount").filter(|a| !a.is_null());
    let minor_given = payload.get("amount_cents").is_some_and(|a| !a.is_null());
    let currency = payload.get("currency").and_then(Value::as_str);
    let text = match (&amount, minor_given) {
        (None, false) => {
            let message = "is required: the amount in major units (\"12.50\"), or amount_cents \
                           in the currency's minor units";
            return errors.push(FieldError::new("payload.amount", message));
        }
        (Some(_), true) => {
            let message = "give amount or amount_cents, not both";
            return errors.push(FieldError::new("payload.amount", message));
        }
        (None, true) => return,
        (Some(Value::String(text)), _) => text.clone(),
        (Some(Value::Number(number)), _) => number.to_string(),
        (Some(_), _) => return, // refused by the field's kind
    };
    let Some(currency) = currency.filter(|c| crate::money::is_currency(c)) else {
        return; // refused at payload.currency
    };
    match crate::money::Money::parse(&text, currency) {
        Ok(money) if money.minor < 0 => {
            errors.push(FieldError::new("payload.amount", "must not be negative"));
        }
        Ok(money) => {
            payload.insert("amount_cents".into(), money.minor.into());
        }
        Err(message) => errors.push(FieldError::new("payload.amount", message)),
    }
}

/// Checks the payload against the type's fields (a custom type's: its required keys); lifts `amount_cents` and `points` out into
/// their columns (points signed by the type).
fn check_payload(
    def: &EventTypeDef,
    mut payload: Map<String, Value>,
    attributes: &[AttributeType],
    errors: &mut Vec<FieldError>,
) -> Checked {
    let event_type = def.name.as_str();
    check_text(&payload, "payload", 0, errors);
    let size = serde_json::to_string(&payload).map_or(0, |json| json.len());
    if size > MAX_PAYLOAD_BYTES {
        errors.push(FieldError::new(
            "payload",
            format!("is {size} bytes; at most {MAX_PAYLOAD_BYTES} are accepted"),
        ));
    }
    for key in def.required_fields.iter().filter(|_| !def.builtin) {
        if payload.get(key).is_none_or(Value::is_null) {
            errors.push(FieldError::new(format!("payload.{key}"), "is required"));
        }
    }
    for field in payload_fields(event_type) {
        let path = format!("payload.{}", field.name);
        match payload.get(field.name) {
            None | Some(Value::Null) if field.required => {
                errors.push(FieldError::new(path, "is required"));
            }
            None | Some(Value::Null) => {}
            Some(value) => {
                if let Err(message) = field.kind.check(value) {
                    errors.push(FieldError::new(path, message));
                }
            }
        }
    }
    if let Some(Value::Array(items)) = payload.get("items") {
        for (i, item) in items.iter().enumerate() {
            if let Err((key, message)) = Kind::check_item(item) {
                let path = match key {
                    "" => format!("payload.items[{i}]"),
                    key => format!("payload.items[{i}].{key}"),
                };
                errors.push(FieldError::new(path, message));
            }
        }
    }
    if event_type == "profile_updated" {
        check_attributes(&mut payload, attributes, errors);
    }
    if matches!(event_type, "purchase" | "refund") {
        read_amount(&mut payload, errors);
    }
    let amount_cents = payload.remove("amount_cents").and_then(|v| v.as_i64());
    let points_delta = points_sign(event_type).and_then(|sign| {
        payload
            .remove("points")
            .and_then(|v| v.as_i64())
            .map(|p| sign * p)
    });
    (amount_cents, points_delta, payload)
}

/// Checks every payload key of a `profile_updated` event but its own (`fields`) as a declared
/// profile attribute and puts each value in its stored form (`null` stays: it removes).
fn check_attributes(
    payload: &mut Map<String, Value>,
    attributes: &[AttributeType],
    errors: &mut Vec<FieldError>,
) {
    for (key, value) in payload.iter_mut() {
        let path = format!("payload.{key}");
        if RESERVED_KEYS.contains(&key.as_str()) || errors.iter().any(|e| e.field == path) {
            continue;
        }
        let Some(declared) = attributes.iter().find(|a| a.name == *key) else {
            errors.push(FieldError::new(
                path,
                format!(
                    "no profile attribute is called {key}: an admin declares it under Admin → \
                     Profile attributes"
                ),
            ));
            continue;
        };
        match declared.kind.check_json(value) {
            Ok(stored) => *value = stored.map_or(Value::Null, Value::String),
            Err(message) => errors.push(FieldError::new(path, message)),
        }
    }
}

/// Refuses, at its path, text no store can hold or no page should carry: NUL and other
/// control characters (tab and line breaks are text), keys and values past their limits, and
/// nesting past [`MAX_DEPTH`]. PostgreSQL cannot store NUL, so without this one such value
/// failed its whole batch there.
fn check_text(object: &Map<String, Value>, path: &str, depth: usize, errors: &mut Vec<FieldError>) {
    for (key, value) in object {
        let child = format!("{path}.{key}");
        if key.chars().count() > MAX_KEY_LEN || key.chars().any(char::is_control) {
            errors.push(FieldError::new(
                &child,
                format!("keys are at most {MAX_KEY_LEN} characters, without control characters"),
            ));
            continue;
        }
        check_value(value, &child, depth, errors);
    }
}

fn check_value(value: &Value, path: &str, depth: usize, errors: &mut Vec<FieldError>) {
    match value {
        Value::String(text) => {
            if text.contains('\0') {
                errors.push(FieldError::new(path, "must not contain NUL characters"));
            } else if text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            {
                errors.push(FieldError::new(
                    path,
                    "must not contain control characters other than tab and line breaks",
                ));
            } else if text.chars().count() > MAX_TEXT_LEN {
                errors.push(FieldError::new(
                    path,
                    format!("is longer than {MAX_TEXT_LEN} characters"),
                ));
            }
        }
        Value::Array(_) | Value::Object(_) if depth >= MAX_DEPTH => {
            errors.push(FieldError::new(
                path,
                format!("nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_value(item, &format!("{path}[{i}]"), depth + 1, errors);
            }
        }
        Value::Object(object) => check_text(object, path, depth + 1, errors),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// At most 40 characters of user input for an error message.
fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_795_000_000_000;

    fn registry() -> Vec<EventTypeDef> {
        let survey = EventTypeDef {
            name: "survey_completed".into(),
            category: "Feedback".into(),
            summary_template: "Survey {score}".into(),
            detail_fields: Vec::new(),
            required_fields: vec!["score".into()],
            builtin: false,
            ingestible: true,
        };
        crate::events::merge(vec![survey])
    }

    #[test]
    fn the_shared_request_type_is_what_the_validator_reads() {
        use crate::ingest::model::{CustomerRef, EventIn};
        let at = chrono::DateTime::from_timestamp_millis(NOW - 60_000).expect("a valid time");
        let sent = EventIn::new(
            "purchase",
            CustomerRef::ExternalId("C-1".into()),
            json!({"amount_cents": 750, "currency": "GBP"}),
        )
        .id("till-7-1")
        .at(at)
        .store("LDN-001")
        .source("pos");
        let json = serde_json::to_value(&sent).expect("serialisable");
        let event = validate(&json, NOW, &registry(), &[]).expect("valid");
        assert_eq!(event.client_event_id, "till-7-1");
        assert_eq!(event.customer.kind, IdentifierKind::ExternalId);
        assert_eq!(event.occurred_at, NOW - 60_000);
        assert_eq!(event.amount_cents, Some(750));
        assert_eq!(event.store_id.as_deref(), Some("LDN-001"));
        for (customer, kind) in [
            (
                CustomerRef::Email("A@Example.com".into()),
                IdentifierKind::Email,
            ),
            (
                CustomerRef::Phone("+447700900123".into()),
                IdentifierKind::Phone,
            ),
            (
                CustomerRef::CardNumber("600000000001".into()),
                IdentifierKind::Card,
            ),
        ] {
            let sent = EventIn::new("app_session", customer, json!({"platform": "web"})).at(at);
            let json = serde_json::to_value(&sent).expect("serialisable");
            let event = validate(&json, NOW, &registry(), &[]).expect("valid");
            assert_eq!(event.customer.kind, kind);
        }
    }

    fn check(value: &Value) -> Result<ValidEvent, Vec<FieldError>> {
        validate(value, NOW, &registry(), &[])
    }

    fn fields(value: Value) -> Vec<String> {
        check(&value)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    fn purchase() -> Value {
        json!({
            "event_id": "till-7-0001", "type": "purchase",
            "occurred_at": "2026-11-18T09:30:00Z", "customer": {"external_id": "C-1"},
            "store_id": "S001",
            "payload": {"amount_cents": 1250, "currency": "GBP",
                        "items": [{"sku": "P001", "qty": 2}]}
        })
    }

    #[test]
    fn a_complete_purchase_passes_with_its_amount_lifted_out() {
        let event = check(&purchase()).expect("valid");
        assert_eq!(event.amount_cents, Some(1250));
        assert_eq!(event.points_delta, None);
        assert_eq!(event.source, "api");
        assert_eq!(event.customer.kind, IdentifierKind::ExternalId);
        assert!(!event.payload.contains_key("amount_cents"));
    }

    #[test]
    fn points_used_are_negative() {
        let event = check(
            &json!({"event_id": "e", "type": "points_used", "occurred_at": "2026-01-01T00:00:00+01:00",
                    "customer": {"phone": "+447700900123"}, "payload": {"points": 300}}),
        )
        .expect("valid");
        assert_eq!(event.points_delta, Some(-300));
        assert_eq!(event.customer.value, "+447700900123");
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut bad = purchase();
        bad["payload"]["amount_cents"] = json!("12.50");
        bad["payload"]["items"][0]["qty"] = json!(0);
        bad["occurred_at"] = json!("yesterday");
        assert_eq!(
            fields(bad),
            vec![
                "occurred_at",
                "payload.amount_cents",
                "payload.items[0].qty"
            ]
        );
    }

    #[test]
    fn unknown_types_future_times_and_ambiguous_customers_are_refused() {
        let mut bad = purchase();
        bad["type"] = json!("teleported");
        assert_eq!(fields(bad), vec!["type"]);
        let mut bad = purchase();
        bad["occurred_at"] = json!("2099-01-01T00:00:00Z");
        assert_eq!(fields(bad), vec!["occurred_at"]);
        let mut bad = purchase();
        bad["occurred_at"] = json!("1970-01-01T00:00:00Z");
        assert_eq!(fields(bad), vec!["occurred_at"]);
        let mut bad = purchase();
        bad["customer"] = json!({"email": "a@b.c", "phone": "+447700900123"});
        assert_eq!(fields(bad), vec!["customer"]);
        let mut bad = purchase();
        bad["customer"] = json!({"phone": "07700 900123"});
        assert_eq!(fields(bad), vec!["customer.phone"]);
        let mut bad = purchase();
        bad["type"] = json!("status_changed");
        assert_eq!(fields(bad), vec!["type"]);
    }

    #[test]
    fn custom_types_need_their_required_keys() {
        let mut survey = purchase();
        survey["type"] = json!("survey_completed");
        survey["payload"] = json!({"comment": "great"});
        assert_eq!(fields(survey.clone()), vec!["payload.score"]);
        survey["payload"]["score"] = json!(9);
        assert_eq!(
            check(&survey).map(|e| e.event_type),
            Ok("survey_completed".to_string())
        );
    }

    #[test]
    fn nul_control_characters_and_oversized_text_are_refused_at_their_path() {
        let mut event = json!({"event_id": "t-1", "type": "tag_appended",
            "occurred_at": "2026-11-10T10:00:00Z", "customer": {"external_id": "C-1"},
            "payload": {"tag": "a\u{0}b", "note": {"deep": ["ok", "x\u{7}y"]},
                        "long": "z".repeat(MAX_TEXT_LEN + 1), "lines": "one\ntwo\tthree"}});
        let errors = fields(event.clone());
        assert!(errors.contains(&"payload.tag".to_string()), "{errors:?}");
        assert!(
            errors.contains(&"payload.note.deep[1]".to_string()),
            "{errors:?}"
        );
        assert!(errors.contains(&"payload.long".to_string()), "{errors:?}");
        assert!(!errors.contains(&"payload.lines".to_string()), "{errors:?}");
        event["payload"] =
            json!({"tag": "vip", "blob": "y".repeat(900), "more": vec!["x".repeat(900); 20]});
        assert_eq!(fields(event), vec!["payload".to_string()]);
    }

    #[test]
    fn a_non_object_is_refused_whole() {
        assert_eq!(fields(json!([1, 2])), vec![""]);
        assert_eq!(
            fields(json!({})),
            vec!["event_id", "type", "occurred_at", "customer"]
        );
    }
}
