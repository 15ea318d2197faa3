//! The request guard in front of every route: refuses cross-site state changes, resolves the
//! session cookie into a [`SessionState`] for the handlers, and sends signed-out browsers to
//! the sign-in page.

use app::auth::session::{self, clearing_cookie, SessionState};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// The guard's own refusal: in the API's JSON shape on `/api/v1`, plain text elsewhere.
fn refusal(
    path: &str,
    status: StatusCode,
    code: &'static str,
    message: impl Into<String>,
) -> Response {
    if path.starts_with("/api/v1/") {
        super::ApiError::new(status, code, message).into_response()
    } else {
        (status, message.into()).into_response()
    }
}

/// Runs before every handler.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if is_state_changing(request.method())
        && !is_key_authenticated(request.uri().path())
        && is_cross_site(&request)
    {
        tracing::warn!(uri = %request.uri(), "cross-site request refused");
        return refusal(
            request.uri().path(),
            StatusCode::FORBIDDEN,
            "cross_site",
            "Cross-site request refused: this form or call did not come from this console.",
        );
    }
    let token = request
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(session::token_from_cookie_header);
    let session = match session::resolve(
        &state.db,
        &state.config.sessions,
        token.as_deref(),
        app::time::now_millis(),
    )
    .await
    {
        Ok(session) => session,
        Err(err) => {
            let error = app::error::AppError::internal(err);
            let (path, message) = (request.uri().path(), error.to_string());
            return refusal(
                path,
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                message,
            );
        }
    };
    let path = request.uri().path().to_string();
    let page = request.method() == Method::GET && is_page(&path);
    if page {
        match (&session, path.as_str()) {
            (SessionState::SignedIn { .. }, "/sign-in") => {
                // Already signed in (also where a sign-in form posted without JavaScript
                // lands): go on to the page the sign-in was for.
                return Redirect::to(&next_after_sign_in(&request)).into_response();
            }
            (SessionState::SignedIn { .. }, _) | (_, "/sign-in") => {}
            (SessionState::Expired, _) => {
                let mut response = Redirect::to(&sign_in_url(&request, true)).into_response();
                if let Ok(value) = clearing_cookie(is_https(&request)).parse() {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
                return response;
            }
            (SessionState::Anonymous, _) => {
                return Redirect::to(&sign_in_url(&request, false)).into_response();
            }
        }
    }
    request.extensions_mut().insert(session);
    next.run(request).await
}

/// The safe `next` of a `/sign-in?next=…` URL, or `/`.
fn next_after_sign_in(request: &Request<Body>) -> String {
    let next = request
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "next").map(|(_, v)| v))
        .unwrap_or_else(|| "/".into());
    app::auth::model::safe_next_path(&next)
}

/// Routes that authenticate by API key, never by the session cookie: web pages of other sites
/// post events there with a publishable key (the JavaScript SDK), so the cross-site refusal,
/// which protects cookie-authenticated actions, does not apply.
fn is_key_authenticated(path: &str) -> bool {
    path == "/api/v1/events"
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A browser request from another site: its `Origin` names another host, or, without
/// `Origin`, `Sec-Fetch-Site` says it is not same-origin. Requests without either header
/// (curl, server-to-server) carry no ambient browser cookies and pass.
fn is_cross_site(request: &Request<Body>) -> bool {
    let headers = request.headers();
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        return Some(origin_host) != host;
    }
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site != "same-origin" && site != "none")
}

/// Paths that render console pages (everything but the API, assets and health checks).
fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/") || path == "/healthz" || is_static_asset(path))
}

/// Where the bundle, styles and public files are served: the same for every user, no personal
/// data. Only the bundle's folder, the SDK's and files at the top of the site (the favicon)
/// qualify; a page path ending like a file name (`/customers/…/x.css`) does not.
pub fn is_static_asset(path: &str) -> bool {
    const PUBLIC_FILE_ENDINGS: [&str; 6] =
        [".svg", ".ico", ".png", ".txt", ".webmanifest", ".woff2"];
    let top_level_file = path.rfind('/') == Some(0)
        && PUBLIC_FILE_ENDINGS
            .iter()
            .any(|ending| path.ends_with(ending));
    path.starts_with("/pkg/") || path.starts_with("/sdk/") || top_level_file
}

fn is_https(request: &Request<Body>) -> bool {
    request
        .headers()
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn sign_in_url(request: &Request<Body>, expired: bool) -> String {
    let next = request
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or("/");
    let mut pairs = vec![("next", next)];
    if expired {
        pairs.push(("reason", "expired"));
    }
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    format!("/sign-in?{query}")
}

#[cfg(test)]
mod tests {
    use super::{is_page, is_static_asset};

    #[test]
    fn pages_are_everything_but_api_assets_and_health() {
        assert!(is_page("/"));
        assert!(is_page("/customers/abc/activity/points"));
        assert!(!is_page("/api/sign_in"));
        assert!(!is_page("/pkg/customer-profiles.wasm"));
        assert!(!is_page("/favicon.svg"));
        assert!(!is_page("/healthz"));
    }

    #[test]
    fn only_the_bundle_and_public_files_are_static_assets() {
        assert!(is_static_asset("/pkg/customer-profiles.wasm"));
        assert!(is_static_asset("/favicon.svg"));
        assert!(is_static_asset("/sdk/v1/customer-profiles.js"));
        assert!(!is_static_asset("/customers/abc/activity/x.css"));
        assert!(!is_static_asset("/admin/import/abc/rejections.csv"));
        assert!(!is_static_asset("/customers/abc.png"));
        assert!(!is_static_asset(
            "/customers/0190a0c6-8a4b-7c3d-9e8f-0123456789ab"
        ));
        assert!(!is_static_asset("/api/get_header"));
        assert!(!is_static_asset("/api/v1/openapi.json"));
        assert!(!is_static_asset("/"));
    }
}
