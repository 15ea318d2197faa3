//! `POST /api/{fn}`: the Leptos server functions, behind checks of their own. A body that is
//! not a form is refused (415), a decoded form value holding NUL is refused at its field before
//! the function runs (PostgreSQL text cannot hold NUL, SQLite would keep it), and an error the
//! function never saw (arguments that do not decode) answers with its own status, not 500.

use app::error::AppError;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Largest server-function request read (forms are small; imports do not come this way).
const MAX_BODY: usize = 2 * 1024 * 1024;
/// Largest error answer inspected for its status.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Runs in front of every server function (`POST /api/…` outside `/api/v1/`).
pub async fn guard(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !path.starts_with("/api/") || path.starts_with("/api/v1/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return error(&AppError::validation(
                "request",
                "The request body could not be read: it is over 2 MiB or arrived too slowly.",
            ))
        }
    };
    // Every server function takes a form (Leptos' URL encoding), and its arguments are decoded
    // from the body whatever the header says: a body sent as anything else is refused, and a
    // NUL is looked for in the decoded values.
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return unsupported_media_type();
    }
    if let Some(field) = field_with_nul(&bytes) {
        return error(&AppError::validation(
            field,
            "This field holds a NUL character, which cannot be stored. Remove it and try again.",
        ));
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    with_error_status(response).await
}

/// The form field (its innermost name: `form[first_name]` → `first_name`) whose value holds
/// NUL, if any.
fn field_with_nul(body: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    pairs
        .into_iter()
        .find(|(_, value)| value.contains('\0'))
        .map(|(key, _)| {
            key.rsplit('[')
                .next()
                .map(|inner| inner.trim_end_matches(']').to_string())
                .unwrap_or(key)
        })
}

/// A 500 whose body is an [`AppError`] other than `Internal` gets that error's status (a
/// server function sets its own status; argument decoding happens before it runs).
async fn with_error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_ERROR_BODY).await.unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(err.status_code()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// 415 for a server-function call whose body is not a form.
fn unsupported_media_type() -> Response {
    let err = AppError::validation(
        "request",
        "Send the arguments as a form (application/x-www-form-urlencoded).",
    );
    let mut response = error(&err);
    *response.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
    response
}

/// An error answered as a server function answers it (JSON-encoded `AppError`).
fn error(err: &AppError) -> Response {
    let status = StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::BAD_REQUEST);
    let body = serde_json::to_vec(err).map(Bytes::from).unwrap_or_default();
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::field_with_nul;

    #[test]
    fn the_field_holding_nul_is_named_without_its_form_wrapper() {
        assert_eq!(
            field_with_nul(b"form%5Bfirst_name%5D=Ann&form%5Blast_name%5D=A%00B"),
            Some("last_name".into())
        );
        assert_eq!(field_with_nul(b"text=a%00"), Some("text".into()));
        assert_eq!(field_with_nul(b"text=line%0Aline"), None);
    }
}
