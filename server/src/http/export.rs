//! `POST /api/v1/customers/{id}/privacy/export`: everything held about a customer as one CSV,
//! streamed as `app::privacy::export` writes it. Needs privacy.request; the export is logged.

use super::ApiError;
use app::auth::{Permission, SessionState};
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;

/// Starts the download; 404 for an unknown customer.
pub async fn customer_export(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let user = super::extract::user_with(&session, Permission::PrivacyRequest)?;
    let filename = format!("customer-{id}-export.csv");
    let chunks = app::privacy::export::start(&state, user, id).await?;
    let body = ReceiverStream::new(chunks).map(|chunk| chunk.map(Bytes::from));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(body),
    )
        .into_response())
}
