//! `POST /api/v1/events`: the ingest API. The extractors check the API key, content type,
//! size and JSON; `app::ingest` validates and stores each event and answers per event.

use super::{ApiError, ApiJson, ApiKey};
use app::ingest::model::MAX_BATCH;
use app::ingest::{events_of, BadEnvelope};
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Stores one event or a batch; see the OpenAPI document for every answer.
pub async fn post_events(
    State(state): State<AppState>,
    key: ApiKey,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    let events = events_of(body).map_err(|bad| match bad {
        BadEnvelope::TooMany(count) => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_events",
            format!("{count} events in one request; send at most {MAX_BATCH}."),
        )
        .at("events"),
        BadEnvelope::Shape(field, message) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", message).at(field)
        }
    })?;
    // The first event was taken when the key was checked.
    key.take_events(events.len().saturating_sub(1))?;
    let now = app::time::now_millis();
    let sender = key.0.actor();
    let report =
        app::ingest::service::ingest(&state, &sender, events, now, key.allowed_types()).await?;
    let status = StatusCode::from_u16(report.status_code()).unwrap_or(StatusCode::OK);
    Ok((status, Json(report)).into_response())
}
