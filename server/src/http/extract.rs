//! Extractors of `/api/v1` whose rejections answer in the API's error shape: the ingest API
//! key and a JSON body (content type, size, syntax).

use super::error::ApiError;
use app::state::AppState;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "x-api-key";

/// Largest JSON body accepted: 4 MiB (1,000 purchases with line items fit easily).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// A valid, unrevoked ingest API key was sent in `X-Api-Key`.
#[derive(Debug, Clone, Copy)]
pub struct ApiKey;

impl<S> FromRequestParts<S> for ApiKey
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let key = parts
            .headers
            .get(API_KEY_HEADER)
            .and_then(|v| v.to_str().ok());
        let Some(key) = key.filter(|k| !k.is_empty()) else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing_api_key",
                "Send an API key in the X-Api-Key header.",
            ));
        };
        match app::api_keys::db::authenticate(&state.db, key, app::time::now_millis()).await? {
            Some(_) => Ok(ApiKey),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_api_key",
                "This API key is unknown or revoked.",
            )),
        }
    }
}

/// A JSON body of at most [`MAX_BODY_BYTES`] sent as `application/json`.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the events as JSON with Content-Type: application/json.",
            ));
        }
        let Ok(bytes) = axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES).await else {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "The body is larger than 4 MiB; send fewer events per request.",
            ));
        };
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|err| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("The body is not valid JSON: {err}."),
            )
        })
    }
}

/// The signed-in user of `session` if they hold `permission` (401 or 403 otherwise).
pub fn user_with(
    session: &app::auth::SessionState,
    permission: app::auth::Permission,
) -> Result<app::auth::CurrentUser, ApiError> {
    match session.user() {
        None => Err(app::error::AppError::Unauthorized.into()),
        Some(user) if !user.can(permission) => {
            Err(app::error::AppError::Forbidden(permission.as_str().into()).into())
        }
        Some(user) => Ok(user.clone()),
    }
}
