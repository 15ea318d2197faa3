//! Third-party panels as the admin screen and the profile see them, the rules of the form, and
//! what a panel may answer.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which of the customer's identifiers a panel is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sends {
    /// Nothing about the customer but the console's request.
    Nothing,
    /// The customer's external (CRM) id.
    ExternalId,
    /// The customer's email address.
    Email,
}

impl Sends {
    /// Every choice, in the form's order.
    pub const ALL: [Sends; 3] = [Sends::Nothing, Sends::ExternalId, Sends::Email];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Sends::Nothing => "none",
            Sends::ExternalId => "external_id",
            Sends::Email => "email",
        }
    }

    /// The choice stored as `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// As the admin reads it.
    pub fn label(self) -> &'static str {
        match self {
            Sends::Nothing => "Nothing about the customer",
            Sends::ExternalId => "External id",
            Sends::Email => "Email address",
        }
    }
}

/// A panel as the admin screen lists it (never its secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    /// Panel id (UUID text).
    pub id: String,
    /// The heading it is shown under, e.g. "Social listening".
    pub title: String,
    /// The address the console's server posts to.
    pub url: String,
    /// What it is sent about the customer.
    pub sends: Sends,
    /// How long the console waits for it, milliseconds.
    pub timeout_ms: i64,
    /// How long an answer is reused for the same customer, seconds.
    pub cache_seconds: i64,
    /// Whether profiles show it.
    pub active: bool,
    /// When it last changed (the edit form sends it back: a concurrent edit is refused).
    pub updated_at: EpochMillis,
}

/// The add / edit form (every value as typed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PanelForm {
    /// Empty for a new panel.
    #[serde(default)]
    pub id: String,
    /// `updated_at` of the panel as the form showed it (editing only).
    #[serde(default)]
    pub seen: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Address.
    #[serde(default)]
    pub url: String,
    /// `none`, `external_id` or `email`.
    #[serde(default)]
    pub sends: String,
    /// Signing secret; empty when editing keeps the current one.
    #[serde(default)]
    pub secret: String,
    /// Milliseconds.
    #[serde(default)]
    pub timeout_ms: String,
    /// Seconds.
    #[serde(default)]
    pub cache_seconds: String,
    /// "on" when ticked.
    #[serde(default)]
    pub active: Option<String>,
}

/// The longest a profile waits for a panel, milliseconds.
pub const MAX_TIMEOUT_MS: i64 = 2_000;

/// A form's values, checked (the address's host is checked again at each call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPanel {
    /// Trimmed title.
    pub title: String,
    /// The address as given, trimmed.
    pub url: String,
    /// What it is sent.
    pub sends: Sends,
    /// A new secret, if one was typed.
    pub secret: Option<String>,
    /// Milliseconds, 100 to [`MAX_TIMEOUT_MS`].
    pub timeout_ms: i64,
    /// Seconds, 0 to a day.
    pub cache_seconds: i64,
    /// Whether profiles show it.
    pub active: bool,
}

/// The form's values checked, or the first field that is wrong and why. `new`: a secret is
/// required.
pub fn checked(form: &PanelForm, new: bool) -> Result<CheckedPanel, (&'static str, String)> {
    let title = form.title.trim();
    if title.is_empty() || title.chars().count() > 60 {
        return Err(("title", "Give it a title of 1 to 60 characters.".into()));
    }
    let sends = Sends::parse(&form.sends).ok_or((
        "sends",
        "Choose what the panel is sent about the customer.".into(),
    ))?;
    let secret = Some(form.secret.trim().to_string()).filter(|s| !s.is_empty());
    match &secret {
        None if new => return Err(("secret", "Give a signing secret of at least 16 characters: the panel checks each request with it.".into())),
        Some(s) if s.chars().count() < 16 || s.len() > 200 => {
            return Err(("secret", "A signing secret is 16 to 200 characters.".into()))
        }
        _ => {}
    }
    let number = |text: &str, range: std::ops::RangeInclusive<i64>| {
        text.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| range.contains(n))
    };
    let timeout_ms = number(&form.timeout_ms, 100..=MAX_TIMEOUT_MS).ok_or((
        "timeout_ms",
        format!("Wait 100 to {MAX_TIMEOUT_MS} milliseconds: the profile never waits longer."),
    ))?;
    let cache_seconds = number(&form.cache_seconds, 0..=86_400).ok_or((
        "cache_seconds",
        "Keep answers 0 to 86,400 seconds (a day).".into(),
    ))?;
    Ok(CheckedPanel {
        title: title.to_string(),
        url: form.url.trim().to_string(),
        sends,
        secret,
        timeout_ms,
        cache_seconds,
        active: form.active.is_some(),
    })
}

/// Which way a metric moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trend {
    /// Up.
    Up,
    /// Down.
    Down,
    /// Unchanged.
    Flat,
}

/// One figure a panel answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metric {
    /// What it is, e.g. "Mentions this week".
    pub label: String,
    /// Its value as text.
    pub value: String,
    /// Which way it moved, if the panel says.
    pub trend: Option<Trend>,
    /// An `https://` page with more, if the panel gives one.
    pub link: Option<String>,
}

/// A panel's answer, read and bounded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelAnswer {
    /// The panel's own heading for this answer (the admin's title when it gives none).
    pub title: Option<String>,
    /// At most [`MAX_METRICS`] figures.
    pub metrics: Vec<Metric>,
}

/// Figures shown per panel at most; more are left out.
pub const MAX_METRICS: usize = 8;

/// Characters kept of a panel's title, label or value.
const MAX_TEXT: usize = 80;

/// What `body` (a panel's JSON answer) says, or why it cannot be shown.
pub fn answer_of(body: &[u8]) -> Result<PanelAnswer, String> {
    let json: Value =
        serde_json::from_slice(body).map_err(|_| "its answer is not JSON".to_string())?;
    let metrics = json
        .get("metrics")
        .and_then(Value::as_array)
        .ok_or("its answer has no metrics list")?;
    let text = |value: &Value| match value {
        Value::String(s) => Some(s.chars().take(MAX_TEXT).collect::<String>()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let metrics: Vec<Metric> = metrics
        .iter()
        .take(MAX_METRICS)
        .map(|m| {
            Some(Metric {
                label: text(m.get("label")?)?,
                value: text(m.get("value")?)?,
                trend: match m.get("trend").and_then(Value::as_str) {
                    Some("up") => Some(Trend::Up),
                    Some("down") => Some(Trend::Down),
                    Some("flat") => Some(Trend::Flat),
                    _ => None,
                },
                link: m
                    .get("link")
                    .and_then(Value::as_str)
                    .filter(|l| l.starts_with("https://") && l.len() <= 2_000)
                    .map(str::to_string),
            })
        })
        .collect::<Option<_>>()
        .ok_or("a metric lacks a label or a value")?;
    Ok(PanelAnswer {
        title: json
            .get("title")
            .and_then(text)
            .filter(|t| !t.trim().is_empty()),
        metrics,
    })
}

/// A panel on a profile: its answer, or why it is unavailable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelView {
    /// Panel id.
    pub id: String,
    /// The admin's title.
    pub title: String,
    /// What it answered, or why it is unavailable.
    pub answer: Result<PanelAnswer, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_bounded_and_links_are_https_only() {
        let body = serde_json::json!({
            "title": "Social listening",
            "metrics": (0..12).map(|i| serde_json::json!({
                "label": format!("<b>Mentions {i}</b>"), "value": i, "trend": "up",
                "link": if i == 0 { "javascript:alert(1)" } else { "https://listen.example/x" }
            })).collect::<Vec<_>>()
        });
        let answer = answer_of(body.to_string().as_bytes()).expect("an answer");
        assert_eq!(answer.metrics.len(), MAX_METRICS);
        assert_eq!(
            answer.metrics[0].label, "<b>Mentions 0</b>",
            "kept as text; the page escapes it"
        );
        assert_eq!(answer.metrics[0].link, None, "no javascript: links");
        assert_eq!(
            answer.metrics[1].link.as_deref(),
            Some("https://listen.example/x")
        );
        assert_eq!(answer.metrics[1].trend, Some(Trend::Up));
        assert!(answer_of(b"<html>").is_err());
        assert!(answer_of(br#"{"metrics": [{"label": "x"}]}"#).is_err());
        assert!(answer_of(br#"{"title": "no list"}"#).is_err());
    }

    #[test]
    fn a_form_is_checked_field_by_field() {
        let form = PanelForm {
            title: "Social listening".into(),
            url: "https://listen.example/panel".into(),
            sends: "email".into(),
            secret: "0123456789abcdef".into(),
            timeout_ms: "1500".into(),
            cache_seconds: "300".into(),
            active: Some("on".into()),
            ..Default::default()
        };
        assert!(checked(&form, true).is_ok());
        let field = |change: fn(&mut PanelForm), new: bool| {
            let mut bad = form.clone();
            change(&mut bad);
            checked(&bad, new).expect_err("a bad form").0
        };
        assert_eq!(field(|f| f.timeout_ms = "2500".into(), true), "timeout_ms");
        assert_eq!(field(|f| f.secret = "short".into(), true), "secret");
        assert_eq!(field(|f| f.secret = String::new(), true), "secret");
        assert_eq!(field(|f| f.sends = "phone".into(), true), "sends");
        assert_eq!(
            field(|f| f.cache_seconds = "-1".into(), true),
            "cache_seconds"
        );
        let mut keep = form.clone();
        keep.secret = String::new();
        assert_eq!(
            checked(&keep, false).map(|c| c.secret),
            Ok(None),
            "editing keeps the secret"
        );
    }
}
