//! The Zendesk webhook: ticket created/updated notifications, signed with HMAC-SHA256 over
//! the timestamp header and the body (Zendesk's scheme), applied to the cache.

use super::db;
use super::zendesk::parse_time;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// Header with the base64 HMAC-SHA256 signature.
pub const SIGNATURE_HEADER: &str = "x-zendesk-webhook-signature";
/// Header with the timestamp that is signed with the body.
pub const TIMESTAMP_HEADER: &str = "x-zendesk-webhook-signature-timestamp";

/// The JSON body the webhook is configured to send (Zendesk placeholders fill it in).
#[derive(Debug, Deserialize)]
pub struct TicketNotice {
    /// The ticket.
    pub ticket: NoticeTicket,
}

/// The ticket part of a notice.
#[derive(Debug, Deserialize)]
pub struct NoticeTicket {
    /// Ticket id (number or string).
    pub id: serde_json::Value,
    /// Status.
    pub status: String,
    /// Type.
    #[serde(rename = "type", default)]
    pub ticket_type: Option<String>,
    /// Subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// The requester's email, to find the customer.
    pub requester_email: String,
    /// ISO 8601.
    pub created_at: String,
    /// ISO 8601.
    pub updated_at: String,
}

/// What the webhook did with a notice.
#[derive(Debug, PartialEq, Eq)]
pub enum Applied {
    /// Cached for this customer.
    Stored(String),
    /// No customer has the requester's email; nothing stored.
    NoCustomer,
}

/// Base64 HMAC-SHA256 of `timestamp` followed by `body`, keyed by `secret`.
pub fn signature(secret: &str, timestamp: &str, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.as_bytes());
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Checks the signature, parses the notice and caches the ticket.
pub async fn apply(
    state: &AppState,
    signature_header: Option<&str>,
    timestamp_header: Option<&str>,
    body: &[u8],
) -> Result<Applied, AppError> {
    let zendesk = state.config.zendesk.as_ref();
    let Some(secret) = zendesk.and_then(|z| z.webhook_secret.as_deref()) else {
        return Err(AppError::Unavailable(
            "Zendesk webhooks are not set up here (no ZENDESK_WEBHOOK_SECRET).".into(),
        ));
    };
    let (Some(given), Some(timestamp)) = (signature_header, timestamp_header) else {
        return Err(AppError::Unauthorized);
    };
    let verified = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .map(|mut mac| {
            mac.update(timestamp.as_bytes());
            mac.update(body);
            base64::engine::general_purpose::STANDARD
                .decode(given)
                .is_ok_and(|bytes| mac.verify_slice(&bytes).is_ok())
        })
        .unwrap_or(false);
    if !verified {
        return Err(AppError::Unauthorized);
    }
    let notice: TicketNotice = serde_json::from_slice(body).map_err(|e| {
        AppError::validation("body", format!("The notice is not the expected JSON: {e}"))
    })?;
    let ticket = notice.ticket;
    let id = match &ticket.id {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) if !s.is_empty() => s.clone(),
        _ => {
            return Err(AppError::validation(
                "ticket.id",
                "A ticket id is required.",
            ))
        }
    };
    let (Some(submitted_at), Some(updated_at)) = (
        parse_time(&ticket.created_at),
        parse_time(&ticket.updated_at),
    ) else {
        return Err(AppError::validation(
            "ticket.created_at",
            "Timestamps must be ISO 8601, e.g. 2026-11-01T09:30:00Z.",
        ));
    };
    let email = ticket.requester_email.trim().to_lowercase();
    let Some(customer_id) = db::customer_by_email(&state.db, &email).await? else {
        return Ok(Applied::NoCustomer);
    };
    let actor = super::service::zendesk_actor();
    let mut change = Change::begin(state, &actor).await?;
    db::upsert(
        change.tx(),
        &customer_id,
        &db::CachedTicket {
            id,
            status: ticket.status,
            ticket_type: ticket.ticket_type,
            subject: ticket.subject.unwrap_or_default(),
            submitted_at,
            updated_at,
        },
    )
    .await?;
    change.customer_changed(&customer_id);
    change.commit().await?;
    Ok(Applied::Stored(customer_id))
}
