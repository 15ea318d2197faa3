//! The Zendesk REST API client: ticket search by requester email.

use serde::Deserialize;
use std::time::Duration;

/// Where Zendesk is and how to sign in to it (API token auth).
#[derive(Clone)]
pub struct ZendeskConfig {
    base_url: String,
    email: String,
    token: String,
    /// Secret Zendesk signs webhook requests with, if webhooks are set up.
    pub webhook_secret: Option<String>,
    client: reqwest::Client,
}

impl std::fmt::Debug for ZendeskConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZendeskConfig")
            .field("base_url", &self.base_url)
            .field("email", &self.email)
            .finish()
    }
}

/// A ticket as the search API returns it (only the fields we keep).
#[derive(Debug, Clone, Deserialize)]
pub struct ApiTicket {
    /// Ticket id.
    pub id: i64,
    /// Status.
    pub status: String,
    /// Type; null when not set.
    #[serde(rename = "type")]
    pub ticket_type: Option<String>,
    /// Subject; null for some channels.
    pub subject: Option<String>,
    /// ISO 8601.
    pub created_at: String,
    /// ISO 8601.
    pub updated_at: String,
}

#[derive(Deserialize)]
struct SearchPage {
    results: Vec<ApiTicket>,
    next_page: Option<String>,
}

/// At most this many result pages (100 tickets each) are read per customer.
const MAX_PAGES: usize = 5;

impl ZendeskConfig {
    /// `base_url` like `https://brand.zendesk.com`; an agent's email and API token.
    pub fn new(
        base_url: &str,
        email: &str,
        token: &str,
        webhook_secret: Option<String>,
    ) -> Result<Self, String> {
        let base_url = base_url.trim_end_matches('/').to_string();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(format!("ZENDESK_URL {base_url:?} must start with https://"));
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Self {
            base_url,
            email: email.to_string(),
            token: token.to_string(),
            webhook_secret,
            client,
        })
    }

    /// The agent-interface link of ticket `id`.
    pub fn ticket_url(&self, id: &str) -> String {
        format!("{}/agent/tickets/{id}", self.base_url)
    }

    /// Every ticket whose requester is `email` (up to 500), via `/api/v2/search.json`.
    pub async fn tickets_of(&self, email: &str) -> Result<Vec<ApiTicket>, String> {
        let query = format!("type:ticket requester:{email}");
        let mut url = reqwest::Url::parse_with_params(
            &format!("{}/api/v2/search.json", self.base_url),
            &[
                ("query", query.as_str()),
                ("sort_by", "created_at"),
                ("sort_order", "desc"),
            ],
        )
        .map_err(|e| e.to_string())?;
        let mut tickets = Vec::new();
        for _ in 0..MAX_PAGES {
            let response = self
                .client
                .get(url.clone())
                .basic_auth(format!("{}/token", self.email), Some(&self.token))
                .send()
                .await
                .map_err(|e| format!("Zendesk did not answer ({e})"))?;
            let status = response.status();
            if !status.is_success() {
                return Err(format!("Zendesk answered {status}"));
            }
            let page: SearchPage = response
                .json()
                .await
                .map_err(|e| format!("Zendesk's answer was not the expected JSON ({e})"))?;
            tickets.extend(page.results);
            match page.next_page {
                Some(next) => url = reqwest::Url::parse(&next).map_err(|e| e.to_string())?,
                None => break,
            }
        }
        Ok(tickets)
    }
}

/// Epoch milliseconds of an ISO 8601 timestamp (Zendesk's `2026-11-01T09:30:00Z`).
pub fn parse_time(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_millis())
}
