//! API keys as the admin screen shows them.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// One API key, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeySummary {
    /// Key id (UUID text).
    pub id: String,
    /// What it is for, e.g. "Till integration".
    pub name: String,
    /// The first characters of the key, to tell keys apart.
    pub prefix: String,
    /// When it was created.
    pub created_at: EpochMillis,
    /// When it was last used, if ever.
    pub last_used_at: Option<EpochMillis>,
    /// When it was revoked; `None` while it works.
    pub revoked_at: Option<EpochMillis>,
}

/// A key just created: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    /// The stored part.
    pub summary: ApiKeySummary,
    /// The full key, to send in the `X-Api-Key` header.
    pub key: String,
}

/// Characters of a key shown in lists (the `cpk_` marker and 8 more).
#[cfg(feature = "ssr")]
pub const PREFIX_LEN: usize = 12;

/// A name of 1 to 80 characters, trimmed; else what is wrong.
#[cfg(feature = "ssr")]
pub fn checked_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    if name.is_empty() {
        Err("Give the key a name that says what uses it.")
    } else if name.chars().count() > 80 {
        Err("Keep the name to 80 characters.")
    } else {
        Ok(name.to_string())
    }
}
