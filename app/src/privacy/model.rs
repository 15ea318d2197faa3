//! Data-privacy requests as the tab and the global log show them.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// One data-privacy request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyRequest {
    /// Request id (UUID text): the tombstone of a forgotten customer keeps only this.
    pub id: String,
    /// The customer; `None` once they were forgotten.
    pub customer_id: Option<String>,
    /// `export`, `restrict`, `reinstate` or `forget`.
    pub request_type: String,
    /// `completed` (or `failed`).
    pub status: String,
    /// Why, as the agent gave it (restrict and reinstate).
    pub reason: Option<String>,
    /// What was done, without personal data (e.g. counts removed).
    pub detail: Option<String>,
    /// The platform user who executed it.
    pub executed_by: String,
    /// When.
    pub requested_at: EpochMillis,
    /// The customer's name, as the global log shows it (`None` in a customer's own history,
    /// for an unnamed customer, and once they were forgotten).
    #[serde(default)]
    pub customer_name: Option<String>,
}

/// The Data Privacy tab at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyOverview {
    /// When processing was restricted, if it is.
    pub restricted_at: Option<EpochMillis>,
    /// Ingested events refused because of the restriction.
    pub refused_while_restricted: i64,
    /// The last export, if any.
    pub last_export_at: Option<EpochMillis>,
    /// Every request for this customer, newest first.
    pub history: Vec<PrivacyRequest>,
}

/// Filters of the global log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFilter {
    /// One request type.
    pub request_type: Option<String>,
    /// One status.
    pub status: Option<String>,
    /// Email of the user who executed it.
    pub executed_by: Option<String>,
    /// From this day (YYYY-MM-DD, UTC).
    pub from: Option<String>,
    /// Up to and including this day (YYYY-MM-DD, UTC).
    pub to: Option<String>,
    /// Page number, from 1.
    pub page: Option<u32>,
}

/// One page of the global log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPage {
    /// Requests, newest first.
    pub requests: Vec<PrivacyRequest>,
    /// Requests matching the filters in all.
    pub total: i64,
    /// Requests per page.
    pub page_size: u32,
}

/// The request types, for the filter.
pub const REQUEST_TYPES: [&str; 4] = ["export", "restrict", "reinstate", "forget"];

/// The text an agent must type to forget a customer.
pub const FORGET_CONFIRMATION: &str = "FORGET";
