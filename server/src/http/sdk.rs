//! The JavaScript web SDK, served at a versioned path as a classic script
//! (`/sdk/v1/customer-profiles.js`, defines `window.CustomerProfiles`) and as an ES module
//! (`/sdk/v1/customer-profiles.mjs`), and the CORS answers that let other sites' pages post
//! events with a publishable key.

use app::state::AppState;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::response::IntoResponse;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The SDK's source: a classic script that defines `CustomerProfiles`.
pub const SOURCE: &str = include_str!("../../../public/sdk/v1/customer-profiles.js");

/// What the module version adds to the script: its exports.
const MODULE_EXPORTS: &str = "\nexport const { init } = globalThis.CustomerProfiles;\n\
                              export default globalThis.CustomerProfiles;\n";

/// How long browsers and CDNs may keep the SDK (a fix reaches pages within the hour).
const SDK_CACHE: &str = "public, max-age=3600";

/// `GET /sdk/v1/customer-profiles.js`.
pub async fn script() -> impl IntoResponse {
    javascript(SOURCE.to_string())
}

/// `GET /sdk/v1/customer-profiles.mjs`.
pub async fn module() -> impl IntoResponse {
    javascript(format!("{SOURCE}{MODULE_EXPORTS}"))
}

fn javascript(body: String) -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, SDK_CACHE),
            // Module scripts from another site load in CORS mode; the SDK holds no data.
            (ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        body,
    )
}

/// CORS for `/api/v1/events`: a page may call it from an origin that a live publishable key
/// lists (preflights name no key, so any such key will do; the key itself is checked against
/// its own origins on the real request). Other origins get no CORS headers: the browser
/// refuses.
pub fn events_cors(state: &AppState) -> CorsLayer {
    let db = state.db.clone();
    CorsLayer::new()
        .allow_origin(AllowOrigin::async_predicate(
            move |origin: HeaderValue, _parts| {
                let db = db.clone();
                async move {
                    let Ok(origin) = origin.to_str() else {
                        return false;
                    };
                    app::api_keys::db::origin_has_key(&db, origin)
                        .await
                        .unwrap_or(false)
                }
            },
        ))
        .allow_methods([Method::POST])
        .allow_headers([
            CONTENT_TYPE,
            HeaderName::from_static(super::extract::API_KEY_HEADER),
        ])
        .expose_headers([axum::http::header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}
