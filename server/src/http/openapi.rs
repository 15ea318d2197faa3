//! `GET /api/v1/openapi.json`: the ingest API described as OpenAPI 3.0, built from the same
//! event-type registry and payload schemas the validator uses, so the two cannot drift.

use app::attributes::{AttributeKind, AttributeType, MAX_TEXT};
use app::events::EventTypeDef;
use app::ingest::model::MAX_BATCH;
use app::ingest::schema::{payload_fields, Kind};
use app::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

/// The document, with the custom event types of the registry and the declared profile
/// attributes.
pub async fn document(State(state): State<AppState>) -> Result<Response, super::ApiError> {
    let registry = app::events::db::registry(&state.db).await?;
    let attributes = app::attributes::db::types(&state.db).await?;
    Ok(Json(openapi(&registry, &attributes)).into_response())
}

/// The OpenAPI document for the event types of `registry` (a `profile_updated` payload holds
/// the declared `attributes`).
pub fn openapi(registry: &[EventTypeDef], attributes: &[AttributeType]) -> Value {
    let ingestible: Vec<&EventTypeDef> = registry.iter().filter(|t| t.ingestible).collect();
    let events: Vec<Value> = ingestible
        .iter()
        .map(|t| json!({"$ref": format!("#/components/schemas/{}", schema_name(&t.name))}))
        .collect();
    let mut schemas = Map::new();
    for event_type in &ingestible {
        let mut schema = event_schema(event_type);
        if event_type.name == "profile_updated" {
            schema["properties"]["payload"] = attributes_schema(attributes);
        }
        schemas.insert(schema_name(&event_type.name), schema);
    }
    schemas.insert("Event".into(), json!({"oneOf": events}));
    schemas.insert(
        "Batch".into(),
        json!({
            "type": "object", "required": ["events"],
            "properties": {"events": {"type": "array", "minItems": 1, "maxItems": MAX_BATCH,
                                       "items": {"$ref": "#/components/schemas/Event"}}}
        }),
    );
    schemas.insert("Customer".into(), customer_schema());
    schemas.insert(
        "FieldError".into(),
        json!({
            "type": "object", "required": ["field", "message"],
            "properties": {"field": {"type": "string"}, "message": {"type": "string"}}
        }),
    );
    schemas.insert("EventResult".into(), json!({
        "type": "object", "required": ["index", "status"],
        "properties": {
            "index": {"type": "integer", "description": "Position in the request (0 for a single event)."},
            "event_id": {"type": "string", "nullable": true},
            "status": {"type": "string", "enum": ["accepted", "duplicate", "rejected", "received"],
                       "description": "received: the answer to a publishable key for an event that passed its checks (stored, stored before, or dropped for the customer's state: a public key is not told which)."},
            "id": {"type": "string", "description": "Our event id (accepted, duplicate)."},
            "customer_id": {"type": "string", "description": "The matched customer (accepted, duplicate)."},
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"},
                       "description": "Every bad field (rejected)."}
        }
    }));
    schemas.insert(
        "IngestReport".into(),
        json!({
            "type": "object", "required": ["accepted", "duplicates", "rejected", "results"],
            "properties": {
                "accepted": {"type": "integer"}, "duplicates": {"type": "integer"},
                "rejected": {"type": "integer"},
                "received": {"type": "integer", "description": "Publishable keys only."},
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/EventResult"}}
            }
        }),
    );
    schemas.insert("Geofence".into(), json!({
        "type": "object", "required": ["id", "name", "latitude", "longitude", "radius_m"],
        "properties": {
            "id": {"type": "string", "description": "What geofence_entered and geofence_exited events name (payload.geofence_id)."},
            "name": {"type": "string"},
            "latitude": {"type": "number", "minimum": -90, "maximum": 90},
            "longitude": {"type": "number", "minimum": -180, "maximum": 180},
            "radius_m": {"type": "integer", "minimum": 50, "maximum": 50000},
            "store_id": {"type": "string", "nullable": true}
        }
    }));
    schemas.insert("Error".into(), json!({
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}
        }}}
    }));
    let report =
        json!({"application/json": {"schema": {"$ref": "#/components/schemas/IngestReport"}}});
    let error = json!({"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}});
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Customer Profiles ingest API",
            "version": "1.0.0",
            "description": "Send events about customers: one event, or up to 1,000 as {\"events\": [...]}. \
                            Each event is answered on its own; valid events are stored even when others \
                            in the batch are refused. The same event_id for the same customer is stored once. \
                            Servers use a secret key in X-Api-Key; web pages use a publishable key (in \
                            X-Api-Key, or as ?key= with the JSON sent as text/plain, which is what \
                            navigator.sendBeacon can send), accepted only from its listed origins, for its \
                            event types and within its events a minute (events are counted, not requests)."
        },
        "servers": [{"url": "/"}],
        "security": [{"apiKey": []}, {"publishableKey": []}],
        "paths": {"/api/v1/events": {"post": {
            "operationId": "ingestEvents",
            "summary": "Store one event or a batch",
            "requestBody": {"required": true, "content": {
                "application/json": {"schema": {
                    "oneOf": [{"$ref": "#/components/schemas/Event"}, {"$ref": "#/components/schemas/Batch"}]
                }},
                "text/plain": {"schema": {"type": "string",
                    "description": "The same JSON as text, as navigator.sendBeacon sends it."}}
            }},
            "responses": {
                "200": {"description": "Every event accepted or a duplicate.", "content": report},
                "207": {"description": "Some events refused; the rest stored.", "content": report},
                "400": {"description": "The body is not JSON.", "content": error},
                "401": {"description": "Missing, unknown or revoked API key, or a secret key in the URL.", "content": error},
                "403": {"description": "A publishable key used from an origin not listed for it.", "content": error},
                "413": {"description": "Body over 4 MiB, more than 1,000 events, or (a publishable key) more events than it may send in a minute.", "content": error},
                "415": {"description": "Content-Type is not application/json (or text/plain).", "content": error},
                "422": {"description": "Every event refused (an IngestReport), or the body is not an event or a batch (an Error).",
                        "content": {"application/json": {"schema": {"oneOf": [
                            {"$ref": "#/components/schemas/IngestReport"}, {"$ref": "#/components/schemas/Error"}]}}}},
                "429": {"description": "A publishable key over its events a minute; see Retry-After.", "content": error}
            }
        }}, "/api/v1/geofences": {"get": {
            "operationId": "activeGeofences",
            "summary": "The active geofences, for mobile apps to monitor (cache for the Cache-Control time)",
            "security": [{"apiKey": []}],
            "responses": {
                "200": {"description": "Every active geofence.", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["geofences"],
                    "properties": {"geofences": {"type": "array", "items": {"$ref": "#/components/schemas/Geofence"}}}
                }}}},
                "401": {"description": "Missing, unknown or revoked API key.", "content": error},
                "403": {"description": "A publishable key used from a site or app not listed for it.", "content": error},
                "429": {"description": "A publishable key over its requests a minute; see Retry-After.", "content": error}
            }
        }}},
        "components": {
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
                "publishableKey": {"type": "apiKey", "in": "query", "name": "key",
                                   "description": "A publishable key (cpp_…) only, for navigator.sendBeacon."}
            },
            "schemas": schemas
        }
    })
}

/// A `profile_updated` payload: each declared attribute by its kind (`null` removes it), and
/// nothing else.
fn attributes_schema(attributes: &[AttributeType]) -> Value {
    let mut properties = Map::new();
    properties.insert(
        "fields".into(),
        json!({"type": "array", "items": {"type": "string"}, "description": "Which fields changed (informational)."}),
    );
    for attribute in attributes {
        let schema = match attribute.kind {
            AttributeKind::Text => {
                json!({"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "pattern": "^[^\\u0000-\\u001f\\u007f]*\\S[^\\u0000-\\u001f\\u007f]*$"})
            }
            AttributeKind::Number => json!({"type": "number"}),
            AttributeKind::Date => json!({"type": "string", "format": "date"}),
            AttributeKind::Boolean => json!({"type": "boolean"}),
            AttributeKind::Url => {
                json!({"type": "string", "format": "uri", "pattern": "^https?://[^\\s/?#]+[^\\s]*$", "maxLength": 2000})
            }
        };
        let mut schema = schema;
        schema["nullable"] = json!(true);
        schema["description"] = json!(format!("{}; null removes it.", attribute.label));
        properties.insert(attribute.name.clone(), schema);
    }
    json!({"type": "object", "properties": properties, "additionalProperties": false,
           "description": "Sets the declared profile attributes named (Admin → Profile attributes); a key that is not declared is refused."})
}

fn schema_name(event_type: &str) -> String {
    event_type
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect::<String>()
        + "Event"
}

fn event_schema(def: &EventTypeDef) -> Value {
    let (event_type, category) = (def.name.as_str(), def.category.as_str());
    let mut properties = Map::new();
    let mut required: Vec<&str> = Vec::new();
    for field in payload_fields(event_type) {
        let mut schema = kind_schema(field.kind);
        if field.name == "amount_cents" {
            schema["description"] = json!(
                "The amount in the ISO 4217 minor units of the payload's currency: cents for \
                 USD/EUR/GBP (12.50 → 1250), yen for JPY (exponent 0: 14319 → 14319), fils for \
                 KWD (exponent 3: 1.250 → 1250). Give this or amount, not both."
            );
        }
        properties.insert(field.name.into(), schema);
        if field.required {
            required.push(field.name);
        }
    }
    if !def.builtin {
        for key in &def.required_fields {
            properties.insert(
                key.clone(),
                json!({"description": "Required by this custom type."}),
            );
            required.push(key);
        }
    }
    let mut payload = json!({"type": "object", "properties": properties,
                             "additionalProperties": true,
                             "description": "Fields not listed are kept as custom attributes."});
    if !required.is_empty() {
        payload["required"] = json!(required);
    }
    json!({
        "type": "object",
        "description": format!("Category: {category}."),
        "required": if required.is_empty() {
            json!(["event_id", "type", "occurred_at", "customer"])
        } else {
            json!(["event_id", "type", "occurred_at", "customer", "payload"])
        },
        "properties": {
            "event_id": {"type": "string", "minLength": 1, "maxLength": 128,
                         "description": "The sender's id; repeats for the same customer are stored once."},
            "type": {"type": "string", "enum": [event_type]},
            "occurred_at": {"type": "string", "format": "date-time",
                            "description": "RFC 3339 with a time zone; not before 2000, at most 5 minutes ahead."},
            "customer": {"$ref": "#/components/schemas/Customer"},
            "source": {"type": "string", "minLength": 1, "maxLength": 128, "description": "pos, app, web…; default api."},
            "store_id": {"type": "string", "minLength": 1, "maxLength": 128},
            "payload": payload
        }
    })
}

fn kind_schema(kind: Kind) -> Value {
    let text = json!({"type": "string", "minLength": 1, "maxLength": 200});
    let whole =
        |min: i64| json!({"type": "integer", "minimum": min, "maximum": 1_000_000_000_000i64});
    match kind {
        Kind::Text => text,
        Kind::Count => whole(0),
        Kind::Positive => whole(1),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Currency => json!({"type": "string", "pattern": "^[A-Z]{3}$",
            "description": "ISO 4217 code of a currency with minor units (GBP, USD, JPY, KWD…)."}),
        Kind::Amount => json!({"type": "string", "pattern": "^[0-9]{1,13}(\\.[0-9]{1,4})?$",
            "description": "The amount in the currency's major units, with no more decimals than \
                ISO 4217 gives it: \"404.95\" USD, \"14319\" JPY (no decimals), \"1.250\" KWD \
                (three). A JPY amount with a fraction is refused at payload.amount. Give this or \
                amount_cents, not both."}),
        Kind::TextList => json!({"type": "array", "items": text}),
        Kind::Items => json!({"type": "array", "items": {
            "type": "object", "required": ["sku", "qty"],
            "properties": {"sku": text, "qty": whole(1), "price_cents": whole(0), "title": {
                "type": "string", "minLength": 1, "maxLength": 200,
                "description": "Names an item the product catalogue does not hold; without it an unknown sku is refused."
            }}
        }}),
    }
}

fn customer_schema() -> Value {
    let one = |key: &str, description: &str| {
        json!({"type": "object", "required": [key], "additionalProperties": false,
               "properties": {key: {"type": "string", "minLength": 1, "maxLength": 128,
                                    "description": description}}})
    };
    json!({
        "description": "Exactly one identifier of the customer.",
        "oneOf": [
            one("id", "Our customer id (UUID)."),
            one("external_id", "The brand's own id."),
            one("email", "Email address (any case)."),
            one("phone", "Phone number in E.164, e.g. +447700900123."),
            one("card_number", "Loyalty card number, digits only."),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ingestible_type_has_a_schema_named_after_it() {
        let registry = app::events::merge(Vec::new());
        let doc = openapi(&registry, &[]);
        let schemas = &doc["components"]["schemas"];
        assert!(
            schemas["PurchaseEvent"]["properties"]["payload"]["properties"]["amount_cents"]
                ["description"]
                .as_str()
                .is_some_and(|d| d.contains("yen for JPY"))
        );
        assert!(schemas["StatusChangedEvent"].is_null());
        let listed = schemas["Event"]["oneOf"].as_array().map(Vec::len);
        assert_eq!(
            listed,
            Some(registry.iter().filter(|t| t.ingestible).count())
        );
    }
}
