//! Extractors of `/api/v1` whose rejections answer in the API's error shape: the ingest API
//! key and a JSON body (content type, size, syntax).

use super::error::ApiError;
use app::api_keys::rate::Refused;
use app::api_keys::KeyKind;
use app::state::AppState;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "x-api-key";

/// Largest JSON body accepted: 4 MiB (1,000 purchases with line items fit easily).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// A valid, unrevoked ingest API key, sent in `X-Api-Key` or (a publishable key only, for
/// `navigator.sendBeacon`, which cannot set headers) as `?key=`. A publishable key is
/// accepted only from a page of one of its origins and within its request rate.
#[derive(Debug, Clone)]
pub struct ApiKey(pub app::api_keys::db::AuthenticatedKey);

impl ApiKey {
    /// Takes `events` from a publishable key's allowance of events a minute (429 with
    /// `Retry-After` when it is spent, 413 when one request holds more than a minute's worth);
    /// a secret key has no such limit.
    pub fn take_events(&self, events: usize) -> Result<(), ApiError> {
        if self.0.kind != KeyKind::Publishable {
            return Ok(());
        }
        let per_minute = self.0.limits.per_minute;
        let count = u32::try_from(events).unwrap_or(u32::MAX);
        match app::api_keys::rate::take(&self.0.id, per_minute, count) {
            Ok(()) => Ok(()),
            Err(Refused::Wait(wait)) => {
                let seconds = wait.as_secs() + 1;
                Err(ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    format!(
                        "This key may send {per_minute} events a minute; try again in {seconds} s."
                    ),
                )
                .retry_after(seconds))
            }
            Err(Refused::OverMinute) => Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_many_events",
                format!(
                    "{events} events in one request; this key may send {per_minute} a minute, \
                     so send at most that many at once."
                ),
            )
            .at("events")),
        }
    }

    /// The event types this key may send, when limited.
    pub fn allowed_types(&self) -> Option<&[String]> {
        (self.0.kind == KeyKind::Publishable).then_some(self.0.limits.event_types.as_slice())
    }
}

impl<S> FromRequestParts<S> for ApiKey
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let header = parts
            .headers
            .get(API_KEY_HEADER)
            .and_then(|v| v.to_str().ok())
            .filter(|k| !k.is_empty())
            .map(str::to_string);
        let in_url = key_in_query(parts.uri.query());
        let Some(key) = header.clone().or(in_url) else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing_api_key",
                "Send an API key in the X-Api-Key header.",
            ));
        };
        let found =
            app::api_keys::db::authenticate(&state.db, &key, app::time::now_millis()).await?;
        let Some(found) = found else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_api_key",
                "This API key is unknown or revoked.",
            ));
        };
        if found.kind == KeyKind::Secret && header.is_none() {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "secret_key_in_url",
                "A secret key goes in the X-Api-Key header, never in a URL (URLs are logged): \
                 revoke this key and create another.",
            ));
        }
        if found.kind == KeyKind::Publishable {
            let origin = sender_origin(&parts.headers);
            if !found.limits.origins.contains(&origin) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "origin_not_allowed",
                    "This publishable key works only from the web pages of the sites and the \
                     apps listed for it; an admin can add one on the API keys screen.",
                ));
            }
        }
        // One event's room now, before the body is read; the rest once they are counted.
        let key = ApiKey(found);
        key.take_events(1)?;
        Ok(key)
    }
}

/// Who sends a publishable key's request, as a key lists it: a browser's `Origin` (always sent
/// by a page of another site, and which a page cannot forge), else a mobile app's
/// `X-Client-App` as `app:…`; empty when neither is there.
fn sender_origin(headers: &axum::http::HeaderMap) -> String {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
    };
    match (text(header::ORIGIN), text(CLIENT_APP)) {
        (Some(origin), _) => origin.to_string(),
        (None, Some(app)) => app::api_keys::model::app_origin(app),
        (None, None) => String::new(),
    }
}

/// The header a mobile SDK names its app in.
const CLIENT_APP: header::HeaderName = header::HeaderName::from_static("x-client-app");

/// The `key` parameter of a query string.
fn key_in_query(query: Option<&str>) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query?).ok()?;
    pairs
        .into_iter()
        .find(|(name, value)| name == "key" && !value.is_empty())
        .map(|(_, value)| value)
}

/// A JSON body of at most [`MAX_BODY_BYTES`] sent as `application/json` (or `text/plain`,
/// the only type `navigator.sendBeacon` can send to another site without a preflight).
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
            .map(str::trim)
            .is_some_and(|v| {
                v.eq_ignore_ascii_case("application/json") || v.eq_ignore_ascii_case("text/plain")
            });
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
