//! `GET /api/v1/geofences`: the active geofences, for mobile apps to monitor (a publishable key
//! from a listed app, or a secret key). Apps cache the list for the time it says.

use super::{ApiError, ApiKey};
use app::state::AppState;
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Where apps fetch the list.
pub const PATH: &str = "/api/v1/geofences";

/// How long an app may keep the list before asking again.
const CACHE: &str = "private, max-age=300";

/// The active geofences: id, name, centre, radius in metres, store.
pub async fn active(State(state): State<AppState>, _key: ApiKey) -> Result<Response, ApiError> {
    let fences = app::geofences::service::active(&state).await?;
    let fences: Vec<_> = fences
        .into_iter()
        .map(|g| {
            json!({"id": g.id, "name": g.name, "latitude": g.latitude,
                   "longitude": g.longitude, "radius_m": g.radius_m, "store_id": g.store_id})
        })
        .collect();
    Ok((
        [(CACHE_CONTROL, CACHE)],
        Json(json!({ "geofences": fences })),
    )
        .into_response())
}
