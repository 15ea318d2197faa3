//! `GET /api/v1/customers/{id}/live`: server-sent events telling an open profile that the
//! customer's record changed. Needs a signed-in user with customers.search.

use app::auth::{Permission, SessionState};
use app::state::AppState;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::convert::Infallible;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

/// Streams a `changed` message each time customer `id` changes.
pub async fn customer_changes(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    Path(id): Path<String>,
) -> Result<Response, super::ApiError> {
    super::extract::user_with(&session, Permission::CustomersSearch)?;
    let changes = BroadcastStream::new(state.live.subscribe()).filter_map(move |changed| {
        // A lagging receiver skipped some notices: tell the page to refresh anyway.
        let relevant = changed.map_or(true, |customer_id| customer_id == id);
        relevant.then(|| Ok::<_, Infallible>(Event::default().event("message").data("changed")))
    });
    Ok(Sse::new(changes)
        .keep_alive(KeepAlive::default())
        .into_response())
}
