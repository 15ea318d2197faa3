//! A typed Rust client of the Customer Profiles ingest API (`POST /api/v1/events`).
//!
//! Events are [`EventIn`], the request type the server's validator reads (shared from the
//! `app` crate), and answers are its [`IngestReport`]. [`Client::send`] posts up to 1,000
//! events and retries network errors, 5xx and 429 answers with backoff (honouring
//! `Retry-After`); every event carries its `event_id`, so a retry stores nothing twice.
//! [`Batcher`] collects events and sends them 1,000 at a time.
//!
//! ```no_run
//! use customer_profiles_client::{Client, CustomerRef, EventIn};
//! use serde_json::json;
//!
//! # async fn run() -> Result<(), customer_profiles_client::Error> {
//! let client = Client::new("https://console.example", "cpk_…");
//! let report = client
//!     .send(&[EventIn::new(
//!         "purchase",
//!         CustomerRef::ExternalId("CRM-00000031".into()),
//!         json!({"amount_cents": 750, "currency": "GBP"}),
//!     )
//!     .id("till-7-000123")
//!     .store("LDN-001")])
//!     .await?;
//! assert_eq!(report.rejected, 0);
//! # Ok(())
//! # }
//! ```

pub use app::ingest::model::{
    Batch, CustomerRef, EventIn, EventResult, FieldError, IngestReport, Outcome, MAX_BATCH,
};

use std::time::Duration;

/// Why a request did not get a per-event answer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server refused the request as a whole (bad key, malformed body…): not retried.
    #[error("{status} {code}: {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The API's error code, e.g. `invalid_api_key`.
        code: String,
        /// What is wrong.
        message: String,
        /// The field at fault, when there is one.
        field: Option<String>,
    },
    /// Still failing after every retry: the last network error or server answer.
    #[error("gave up after {attempts} attempts: {last}")]
    GaveUp {
        /// Attempts made.
        attempts: u32,
        /// What the last one met.
        last: String,
    },
    /// More events than one request may carry.
    #[error("{0} events in one request; send at most {MAX_BATCH} (or use a Batcher)")]
    TooMany(usize),
}

/// A client for one console and API key.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    url: String,
    key: String,
    attempts: u32,
    first_wait: Duration,
}

impl Client {
    /// A client of the console at `base_url` (e.g. `https://console.example`) with `key`.
    pub fn new(base_url: &str, key: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            url: format!("{}/api/v1/events", base_url.trim_end_matches('/')),
            key: key.to_string(),
            attempts: 6,
            first_wait: Duration::from_millis(200),
        }
    }

    /// Tries each request at most `attempts` times (at least once), waiting `first_wait`,
    /// then twice as long each time (at most 30 s), between tries.
    pub fn retrying(mut self, attempts: u32, first_wait: Duration) -> Self {
        self.attempts = attempts.max(1);
        self.first_wait = first_wait;
        self
    }

    /// Sends up to [`MAX_BATCH`] events; the answer says, per event, whether it was accepted,
    /// a repeat, or rejected (and why).
    pub async fn send(&self, events: &[EventIn]) -> Result<IngestReport, Error> {
        if events.len() > MAX_BATCH {
            return Err(Error::TooMany(events.len()));
        }
        let body = serde_json::json!({ "events": events });
        let mut wait = self.first_wait;
        let mut last = String::new();
        for attempt in 1..=self.attempts {
            if attempt > 1 {
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(30));
            }
            let response = match self
                .http
                .post(&self.url)
                .header("x-api-key", &self.key)
                .json(&body)
                .send()
                .await
            {
                Ok(response) => response,
                Err(error) => {
                    last = error.to_string();
                    continue;
                }
            };
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            let answer: serde_json::Value = response.json().await.unwrap_or_default();
            if answer.get("results").is_some() {
                return serde_json::from_value(answer).map_err(|e| Error::GaveUp {
                    attempts: attempt,
                    last: format!("unreadable answer: {e}"),
                });
            }
            let error = &answer["error"];
            let text = |name: &str| error[name].as_str().map(str::to_string);
            if status == 429 || status >= 500 {
                if let Some(seconds) = retry_after {
                    wait = Duration::from_secs(seconds);
                }
                last = format!("{status} {}", text("message").unwrap_or_default());
                continue;
            }
            return Err(Error::Refused {
                status,
                code: text("code").unwrap_or_default(),
                message: text("message").unwrap_or_default(),
                field: text("field"),
            });
        }
        Err(Error::GaveUp {
            attempts: self.attempts,
            last,
        })
    }

    /// A batcher sending through this client.
    pub fn batcher(&self) -> Batcher<'_> {
        Batcher {
            client: self,
            pending: Vec::new(),
            totals: Totals::default(),
        }
    }
}

/// What a batcher's requests answered, added up, with every rejected event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Events stored.
    pub accepted: usize,
    /// Events stored before (repeats).
    pub duplicates: usize,
    /// Rejected events: the event id and every bad field.
    pub rejected: Vec<(String, Vec<FieldError>)>,
}

/// Collects events and sends them [`MAX_BATCH`] at a time.
#[derive(Debug)]
pub struct Batcher<'c> {
    client: &'c Client,
    pending: Vec<EventIn>,
    totals: Totals,
}

impl Batcher<'_> {
    /// Adds `event`, sending the batch when it is full.
    pub async fn push(&mut self, event: EventIn) -> Result<(), Error> {
        self.pending.push(event);
        if self.pending.len() >= MAX_BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    /// Sends what is waiting. On an error the events stay waiting, to be sent again.
    pub async fn flush(&mut self) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let report = self.client.send(&self.pending).await?;
        self.totals.accepted += report.accepted;
        self.totals.duplicates += report.duplicates;
        for result in report.results {
            if let Outcome::Rejected { errors } = result.outcome {
                let id = self
                    .pending
                    .get(result.index)
                    .map(|e| e.event_id.clone())
                    .unwrap_or_default();
                self.totals.rejected.push((id, errors));
            }
        }
        self.pending.clear();
        Ok(())
    }

    /// Sends the rest and returns the totals.
    pub async fn finish(mut self) -> Result<Totals, Error> {
        self.flush().await?;
        Ok(self.totals)
    }
}
