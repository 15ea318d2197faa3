//! Custom profile attributes: the types an admin declares and the checks a value of each type
//! passes, the same for the ingest API and the profile edit.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What kind of value an attribute holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttributeKind {
    /// Up to 500 characters.
    Text,
    /// A number (stored as written by the canonical form, `9`, `9.5`).
    Number,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// Yes or no.
    Boolean,
    /// An `http` or `https` address.
    Url,
}

/// Longest text value.
pub const MAX_TEXT: usize = 500;
/// Longest address.
pub const MAX_URL: usize = 2_000;

impl AttributeKind {
    /// Every kind, in the order the admin screen offers them.
    pub const ALL: [AttributeKind; 5] = [
        Self::Text,
        Self::Number,
        Self::Date,
        Self::Boolean,
        Self::Url,
    ];

    /// The stored name, e.g. `boolean`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Date => "date",
            Self::Boolean => "boolean",
            Self::Url => "url",
        }
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Text => "Text",
            Self::Number => "Number",
            Self::Date => "Date",
            Self::Boolean => "Yes / no",
            Self::Url => "Web address",
        }
    }

    /// The kind stored as `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// A JSON value (from the ingest API) as stored: `None` to remove the attribute (`null`),
    /// or what is wrong with it.
    pub fn check_json(self, value: &Value) -> Result<Option<String>, String> {
        match (self, value) {
            (_, Value::Null) => Ok(None),
            (Self::Number, Value::Number(n)) => Ok(Some(canonical_number(n.as_f64())?)),
            (Self::Boolean, Value::Bool(b)) => Ok(Some(b.to_string())),
            (Self::Text | Self::Date | Self::Url, Value::String(text)) => self.check_text(text),
            (Self::Number, _) => Err("must be a number".into()),
            (Self::Boolean, _) => Err("must be true or false".into()),
            _ => Err("must be a string".into()),
        }
    }

    /// Text typed into a form as stored: `None` when blank (the attribute is removed), or what
    /// is wrong with it.
    pub fn check_text(self, input: &str) -> Result<Option<String>, String> {
        let text = input.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.chars().any(char::is_control) {
            return Err("must not contain control characters".into());
        }
        let value = match self {
            Self::Text if text.chars().count() > MAX_TEXT => {
                return Err(format!("is longer than {MAX_TEXT} characters"));
            }
            Self::Text => text.to_string(),
            Self::Number => canonical_number(text.parse::<f64>().ok())?,
            Self::Date => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(|d| d.format("%Y-%m-%d").to_string())
                .map_err(|_| "must be a date like 2026-12-05".to_string())?,
            Self::Boolean => match text.to_lowercase().as_str() {
                "true" | "yes" => "true".into(),
                "false" | "no" => "false".into(),
                _ => return Err("must be yes or no".into()),
            },
            Self::Url => checked_url(text)?,
        };
        Ok(Some(value))
    }

    /// A stored value as agents read it (`true` → Yes).
    pub fn shown(self, stored: &str) -> String {
        match (self, stored) {
            (Self::Boolean, "true") => "Yes".into(),
            (Self::Boolean, "false") => "No".into(),
            _ => stored.to_string(),
        }
    }
}

fn canonical_number(value: Option<f64>) -> Result<String, String> {
    match value {
        Some(n) if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 => {
            Ok(format!("{}", n as i64))
        }
        Some(n) if n.is_finite() => Ok(n.to_string()),
        _ => Err("must be a number".into()),
    }
}

fn checked_url(text: &str) -> Result<String, String> {
    let lower = text.to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or("must be a web address starting with https:// or http://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || text.chars().any(char::is_whitespace) {
        return Err("must be a web address like https://example.com/page".into());
    }
    if text.len() > MAX_URL {
        return Err(format!("is longer than {MAX_URL} characters"));
    }
    Ok(text.to_string())
}

/// An attribute an admin declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeType {
    /// The name the ingest API and exports use, e.g. `favourite_drink`.
    pub name: String,
    /// What agents read, e.g. "Favourite drink".
    pub label: String,
    /// Its kind.
    pub kind: AttributeKind,
    /// Customers holding a value.
    pub in_use: i64,
}

/// `input` typed (in a form or a search) for attribute `name`, in stored form (`None` when
/// blank), checked against the `declared` attributes: a name nobody declared is refused at
/// `name_field`, a value of the wrong kind at `value_field`.
#[cfg(feature = "ssr")]
pub fn checked_input(
    declared: &[AttributeType],
    name: &str,
    input: &str,
    name_field: &str,
    value_field: &str,
) -> Result<Option<String>, crate::error::AppError> {
    use crate::error::AppError;
    let kind = declared
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.kind)
        .ok_or_else(|| AppError::validation(name_field, "No profile attribute has this name."))?;
    kind.check_text(input)
        .map_err(|m| AppError::validation(value_field, format!("This {m}.")))
}

/// One attribute of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeValue {
    /// Its name.
    pub name: String,
    /// Its label.
    pub label: String,
    /// Its kind.
    pub kind: AttributeKind,
    /// The stored value.
    pub value: String,
}

/// Payload keys of a `profile_updated` event that are not attributes: the event's own and
/// those ingest adds to every event (the tier at the time, the store's name and city).
pub const RESERVED_KEYS: [&str; 5] = [
    "fields",
    "agent",
    "customer_tier",
    "store_name",
    "store_city",
];

/// A new attribute's name: lower-case letters, digits and `_`, starting with a letter, at
/// most 64 characters, not a reserved key.
pub fn checked_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    let well_formed = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !well_formed {
        return Err("Use lower-case letters, digits and _, starting with a letter (at most 64), e.g. favourite_drink.");
    }
    if RESERVED_KEYS.contains(&name) {
        return Err("This name is taken by the event itself; choose another.");
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_checked_and_stored_in_one_form() {
        use AttributeKind::*;
        assert_eq!(Number.check_json(&json!(9.0)), Ok(Some("9".into())));
        assert_eq!(Number.check_json(&json!(9.5)), Ok(Some("9.5".into())));
        assert!(Number.check_json(&json!("nine")).is_err());
        assert_eq!(Boolean.check_json(&json!(true)), Ok(Some("true".into())));
        assert_eq!(Boolean.check_text("No"), Ok(Some("false".into())));
        assert_eq!(
            Date.check_text(" 2026-02-03 "),
            Ok(Some("2026-02-03".into()))
        );
        assert!(Date.check_text("2026-02-30").is_err());
        assert!(Url.check_json(&json!("javascript:alert(1)")).is_err());
        assert!(Url.check_text("https://").is_err());
        assert_eq!(
            Url.check_text("https://x.test/a?b=1"),
            Ok(Some("https://x.test/a?b=1".into()))
        );
        assert_eq!(Text.check_json(&json!(null)), Ok(None));
        assert_eq!(Text.check_text("   "), Ok(None));
        assert!(Text.check_text(&"x".repeat(501)).is_err());
        assert_eq!(Boolean.shown("true"), "Yes");
        assert!(checked_name("Favourite Drink").is_err());
        assert!(checked_name("fields").is_err());
        assert_eq!(
            checked_name("favourite_drink"),
            Ok("favourite_drink".into())
        );
    }
}
