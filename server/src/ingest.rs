//! `POST /api/v1/events`: the ingest API. Checks the API key, content type, size and JSON,
//! then hands the events to `app::ingest`, which answers per event.

use app::ingest::model::MAX_BATCH;
use app::ingest::{events_of, BadEnvelope};
use app::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Largest request body accepted: 4 MiB (1,000 purchases with line items fit easily).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "x-api-key";

/// Stores one event or a batch; see the OpenAPI document for every answer.
pub async fn post_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let now = app::time::now_millis();
    let key = headers.get(API_KEY_HEADER).and_then(|v| v.to_str().ok());
    let Some(key) = key.filter(|k| !k.is_empty()) else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "missing_api_key",
            "Send an API key in the X-Api-Key header.",
            None,
        );
    };
    match app::api_keys::db::authenticate(&state.db, key, now).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "invalid_api_key",
                "This API key is unknown or revoked.",
                None,
            )
        }
        Err(err) => return internal(err),
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the events as JSON with Content-Type: application/json.",
            None,
        );
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "The body is larger than 4 MiB; send fewer events per request.",
            None,
        );
    };
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(value) => value,
        Err(err) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                &format!("The body is not valid JSON: {err}."),
                None,
            )
        }
    };
    let events = match events_of(value) {
        Ok(events) => events,
        Err(BadEnvelope::TooMany(count)) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_many_events",
                &format!("{count} events in one request; send at most {MAX_BATCH}."),
                Some("events"),
            )
        }
        Err(BadEnvelope::Shape(field, message)) => {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_request",
                message,
                Some(field),
            )
        }
    };
    match app::ingest::ingest(&state.db, &state.live, events, now).await {
        Ok(report) => {
            let status = StatusCode::from_u16(report.status_code()).unwrap_or(StatusCode::OK);
            (status, Json(report)).into_response()
        }
        Err(err) => internal(err),
    }
}

/// The API's error shape: `{"error": {"code", "message", "field"?}}`.
pub fn refuse(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Response {
    let mut error = json!({"code": code, "message": message});
    if let Some(field) = field {
        error["field"] = json!(field);
    }
    (status, Json(json!({ "error": error }))).into_response()
}

fn internal(err: impl std::fmt::Display) -> Response {
    let app::error::AppError::Internal(reference) = app::error::AppError::internal(err) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    refuse(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        &format!("Something went wrong on our side. Reference: {reference}"),
        None,
    )
}
