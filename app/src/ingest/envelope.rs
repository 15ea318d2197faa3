//! The first look at a request's events: the envelope, the key's type limits and validation
//! against each type's schema (the pipeline's first step, see `service.rs`).

use super::{model, validate};
use crate::store::Db;
use model::MAX_BATCH;
use serde_json::Value;

/// Why a request body is not a set of events at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadEnvelope {
    /// Neither one event object nor `{"events": [...]}`; the field and what is wrong.
    Shape(&'static str, &'static str),
    /// More than [`MAX_BATCH`] events; how many came.
    TooMany(usize),
}

/// The events of a request body: `{"events": [...]}` (1 to 1,000) or one event object.
pub fn events_of(body: Value) -> Result<Vec<Value>, BadEnvelope> {
    match body {
        Value::Object(mut object) if object.contains_key("events") => {
            match object.remove("events") {
                Some(Value::Array(events)) if events.is_empty() => {
                    Err(BadEnvelope::Shape("events", "must hold at least one event"))
                }
                Some(Value::Array(events)) if events.len() > MAX_BATCH => {
                    Err(BadEnvelope::TooMany(events.len()))
                }
                Some(Value::Array(events)) => Ok(events),
                _ => Err(BadEnvelope::Shape("events", "must be an array of events")),
            }
        }
        Value::Object(object) => Ok(vec![Value::Object(object)]),
        _ => Err(BadEnvelope::Shape(
            "",
            "send one event object or {\"events\": [...]} with up to 1,000 events",
        )),
    }
}

/// One event of a request after validation.
pub struct Checked {
    /// Position in the request.
    pub index: usize,
    /// The sender's `event_id`, when readable.
    pub event_id: Option<String>,
    /// The event, or what is wrong with it.
    pub event: Result<validate::ValidEvent, Vec<model::FieldError>>,
}

/// Each of `events` received at `now` checked against its type's schema (and, for a sender
/// limited to `allowed_types`, its type), in order: the first step of
/// [`super::service::ingest`], which an events import takes too before
/// [`super::matching::prepare`].
pub async fn validated(
    db: &Db,
    events: &[Value],
    now: i64,
    allowed_types: Option<&[String]>,
) -> Result<Vec<Checked>, sqlx::Error> {
    let registry = crate::events::db::registry(db).await?;
    let attributes = crate::attributes::db::declared(db).await?;
    Ok(events
        .iter()
        .enumerate()
        .map(|(index, event)| Checked {
            index,
            event_id: event
                .get("event_id")
                .and_then(Value::as_str)
                .map(|id| id.chars().take(validate::MAX_ID_LEN).collect()),
            event: match refused_type(event, allowed_types) {
                Some(refusal) => Err(vec![refusal]),
                None => validate::validate(event, now, &registry, &attributes),
            },
        })
        .collect())
}

/// Why a sender limited to `allowed_types` (a publishable key) may not send `event`: its
/// `type` is not on the list. Checked before the payload: no other answer matters then.
fn refused_type(event: &Value, allowed_types: Option<&[String]>) -> Option<model::FieldError> {
    let types = allowed_types?;
    let event_type = event.get("type").and_then(Value::as_str).unwrap_or("");
    (!types.iter().any(|t| t == event_type)).then(|| {
        model::FieldError::new(
            "type",
            format!(
                "this key may not send “{event_type}” events (an admin can allow them on the \
                 API keys screen)"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_body_is_one_event_or_a_bounded_list() {
        assert_eq!(
            events_of(json!({"type": "purchase"})).map(|e| e.len()),
            Ok(1)
        );
        assert_eq!(
            events_of(json!({"events": [{}, {}]})).map(|e| e.len()),
            Ok(2)
        );
        assert!(matches!(
            events_of(json!({"events": []})),
            Err(BadEnvelope::Shape("events", _))
        ));
        assert!(matches!(
            events_of(json!({"events": 3})),
            Err(BadEnvelope::Shape("events", _))
        ));
        assert!(matches!(
            events_of(json!([1])),
            Err(BadEnvelope::Shape("", _))
        ));
        let many = json!({"events": vec![json!({}); MAX_BATCH + 1]});
        assert_eq!(events_of(many), Err(BadEnvelope::TooMany(MAX_BATCH + 1)));
    }
}
