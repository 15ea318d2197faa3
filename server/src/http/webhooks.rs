//! Inbound webhooks from outside services: `POST /api/v1/webhooks/zendesk` and
//! `POST /api/v1/webhooks/shopify`.

use app::shopify::service::{self as shopify, Answer, Headers};
use app::shopify::signature;
use app::state::AppState;
use app::support::webhook::{self, Applied};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// A Zendesk ticket notice: 200 when cached, 202 when no customer has the requester's email,
/// 401 for a missing or wrong signature, 422 for a body that is not a ticket notice, 503 when
/// webhooks are not configured.
pub async fn zendesk(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let outcome = webhook::apply(
        &state,
        header(webhook::SIGNATURE_HEADER),
        header(webhook::TIMESTAMP_HEADER),
        &body,
    )
    .await;
    match outcome {
        Ok(Applied::Stored(customer_id)) => (
            StatusCode::OK,
            Json(json!({"stored": true, "customer_id": customer_id})),
        )
            .into_response(),
        Ok(Applied::NoCustomer) => (
            StatusCode::ACCEPTED,
            Json(json!({"stored": false, "reason": "No customer has the requester's email."})),
        )
            .into_response(),
        Err(error) => super::ApiError::from(error).into_response(),
    }
}

/// A Shopify order webhook: 200 with what it did (also for a replay, an ignored topic or a
/// refused order: Shopify must not send those again), 401 for a missing or wrong signature,
/// 422 without `X-Shopify-Webhook-Id`, 503 when no secret is set, 500 when it failed here
/// (Shopify retries).
pub async fn shopify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let delivery = Headers {
        topic: header("x-shopify-topic"),
        webhook_id: header("x-shopify-webhook-id"),
        shop_domain: header("x-shopify-shop-domain"),
        hmac: header(signature::HEADER),
    };
    match shopify::receive(&state, delivery, &body).await {
        Ok(Answer::Processed { outcome, detail }) => {
            Json(json!({"outcome": outcome, "detail": detail})).into_response()
        }
        Ok(Answer::Replay) => Json(json!({
            "outcome": "replay",
            "detail": "This delivery was received before; nothing was done again."
        }))
        .into_response(),
        Err(error) => super::ApiError::from(error).into_response(),
    }
}
