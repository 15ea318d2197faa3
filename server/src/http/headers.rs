//! Security headers on every answer: no MIME sniffing, no framing, referrers only to this
//! origin, a locked-down Content-Security-Policy where the page did not set its own (pages set
//! one with their script nonce), and `Cache-Control: no-store` on everything but the files of
//! the bundle, the SDK and the favicon, and the geofence list apps fetch (its own
//! `Cache-Control`), since pages, downloads and server-function answers carry personal data.

use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// The policy of answers that are not pages (API JSON, redirects, files): nothing may load.
const LOCKED_DOWN: &str = "default-src 'none'; frame-ancestors 'none'";

/// The header policy of a page whose own policy arrived only in its `<meta>` element.
const PAGE_FRAMING: &str = "frame-ancestors 'none'";

/// Adds the headers after the handler ran.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let static_path = crate::http::guard::is_static_asset(request.uri().path());
    // Where, stores and circles: no customer's data.
    let catalogue = request.uri().path() == crate::http::geofences::PATH;
    let mut response = next.run(request).await;
    let content_type = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let page = content_type.is_some_and(|v| v.starts_with("text/html"));
    // Decided by what is served: a file from the bundle's or the SDK's folder, never a page.
    let page_or_data = content_type.is_none_or(|v| page || v.starts_with("application/json"));
    let cacheable = response.status().is_success() && (catalogue || static_path && !page_or_data);
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A page carries its policy (with the nonce of its scripts) in its head as well; when its
    // header went missing, only what a `<meta>` policy cannot say is added here.
    let fallback = if page { PAGE_FRAMING } else { LOCKED_DOWN };
    headers
        .entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(fallback));
    if !cacheable {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
