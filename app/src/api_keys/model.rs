//! API keys as the admin screen shows them, and the rules of a publishable key's limits.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Who holds a key: a server (secret) or a web page (publishable, limited).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// For servers: sends any event type, from anywhere, shown once.
    #[default]
    Secret,
    /// For web pages and mobile apps (the SDKs): limited to some event types, some origins or
    /// apps and a request rate; not a secret, so it is shown again.
    Publishable,
}

impl KeyKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Secret => "secret",
            Self::Publishable => "publishable",
        }
    }

    /// The kind stored as `name` (secret for anything unknown).
    pub fn parse(name: &str) -> Self {
        if name == "publishable" {
            Self::Publishable
        } else {
            Self::Secret
        }
    }
}

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
    /// Secret or publishable.
    pub kind: KeyKind,
    /// A publishable key in full (it is not a secret: it sits in web pages).
    pub public_key: Option<String>,
    /// Event types a publishable key may send.
    pub event_types: Vec<String>,
    /// Origins (`https://shop.example`) and apps (`app:com.example.shop`) a publishable key
    /// may send from.
    pub origins: Vec<String>,
    /// Requests a minute a publishable key may make.
    pub per_minute: Option<i64>,
}

/// A key just created: the only time a secret key is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    /// The stored part.
    pub summary: ApiKeySummary,
    /// The full key, to send in the `X-Api-Key` header.
    pub key: String,
}

/// The New key form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NewKeyForm {
    /// What uses it (not sent when editing limits).
    #[serde(default)]
    pub name: String,
    /// `secret` or `publishable`.
    #[serde(default)]
    pub kind: String,
    /// Event types ticked for a publishable key (checkbox name → "on").
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// Allowed origins, one per line.
    #[serde(default)]
    pub origins: String,
    /// Requests a minute.
    #[serde(default)]
    pub per_minute: String,
}

/// The limits of a publishable key, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BrowserLimits {
    /// Event types it may send.
    pub event_types: Vec<String>,
    /// Origins it may send from.
    pub origins: Vec<String>,
    /// Requests a minute.
    pub per_minute: i64,
}

/// Requests a minute a new publishable key may make unless the admin says otherwise: a page
/// flushes every few seconds, so a few hundred visitors behind one office NAT fit.
pub const DEFAULT_PER_MINUTE: i64 = 600;

/// Characters of a key shown in lists (the `cpk_`/`cpp_` marker and 8 more).
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

/// What the `X-Client-App` header of a mobile app's request (the Android and .NET SDKs send
/// it; there is no `Origin` outside a browser) is listed as among a key's origins.
pub fn app_origin(app_id: &str) -> String {
    format!("{APP_PREFIX}{}", app_id.trim().to_ascii_lowercase())
}

/// How a mobile app is listed among a publishable key's origins: `app:com.example.shop`.
pub const APP_PREFIX: &str = "app:";

/// A web origin as browsers send it in `Origin` (`http` or `https`, a host, an optional port,
/// nothing after), or a mobile app as `app:` and its id (`app:com.example.shop`: the Android
/// application id or the iOS bundle id); lower-cased. Else what is wrong.
pub fn checked_origin(origin: &str) -> Result<String, String> {
    let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    if let Some(app) = origin.strip_prefix(APP_PREFIX) {
        return checked_app_id(app).map(|_| origin.clone());
    }
    let Some((scheme, rest)) = origin.split_once("://") else {
        return Err(format!(
            "“{origin}” is not an origin: write it as https://shop.example."
        ));
    };
    if scheme != "https" && scheme != "http" {
        return Err(format!(
            "“{origin}”: an origin starts with https:// or http://."
        ));
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    if !host_ok || !port_ok {
        return Err(format!(
            "“{origin}” is not an origin: a scheme, a host and an optional port, no path."
        ));
    }
    Ok(origin)
}

/// An app id: dot-separated parts of letters, digits, `_` and `-`, at least two, as Android
/// application ids and iOS bundle ids are.
fn checked_app_id(app: &str) -> Result<(), String> {
    let part_ok = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if app.len() <= 155 && app.contains('.') && app.split('.').all(part_ok) {
        Ok(())
    } else {
        Err(format!(
            "“{APP_PREFIX}{app}” is not an app: write its id, e.g. app:com.example.shop."
        ))
    }
}

/// The origins of a textarea (one per line, blank lines skipped): at least one, at most 50.
pub fn checked_origins(text: &str) -> Result<Vec<String>, String> {
    let mut origins = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let origin = checked_origin(line)?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    match origins.len() {
        0 => Err(
            "List the sites or apps that may use this key, e.g. https://shop.example or \
             app:com.example.shop."
                .into(),
        ),
        n if n > 50 => Err("List at most 50 origins per key.".into()),
        _ => Ok(origins),
    }
}

/// Requests a minute: empty for the default, else 1 to 100,000.
pub fn checked_per_minute(text: &str) -> Result<i64, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(DEFAULT_PER_MINUTE);
    }
    match text.parse::<i64>() {
        Ok(n) if (1..=100_000).contains(&n) => Ok(n),
        _ => Err("Give a whole number of requests a minute, from 1 to 100,000."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(
            checked_origin(" HTTPS://Shop.Example/ "),
            Ok("https://shop.example".into())
        );
        assert_eq!(
            checked_origin("http://127.0.0.1:8080"),
            Ok("http://127.0.0.1:8080".into())
        );
        assert_eq!(
            checked_origin("app:Com.Example.Shop"),
            Ok("app:com.example.shop".into())
        );
        assert_eq!(app_origin(" Com.Example.Shop"), "app:com.example.shop");
        assert!(checked_origin("app:shop").is_err());
        assert!(checked_origin("app:com..shop").is_err());
        assert!(checked_origin("app:com.example/shop").is_err());
        assert!(checked_origin("shop.example").is_err());
        assert!(checked_origin("ftp://shop.example").is_err());
        assert!(checked_origin("https://shop.example/path").is_err());
        assert!(checked_origin("https://shop.example:99999").is_err());
        assert!(checked_origin("https://").is_err());
        assert!(checked_origin("https://a b").is_err());
        assert!(checked_origins("\n\n").is_err());
        assert_eq!(
            checked_origins("https://a.example\nhttps://A.example/\n"),
            Ok(vec!["https://a.example".to_string()])
        );
    }

    #[test]
    fn the_rate_is_bounded_and_defaults() {
        assert_eq!(checked_per_minute(""), Ok(DEFAULT_PER_MINUTE));
        assert_eq!(checked_per_minute("120"), Ok(120));
        assert!(checked_per_minute("0").is_err());
        assert!(checked_per_minute("1.5").is_err());
        assert!(checked_per_minute("100001").is_err());
    }
}
