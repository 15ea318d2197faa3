//! Tags as the Tags sub-tab shows them.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// One tag of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerTag {
    /// The tag.
    pub tag: String,
    /// Times applied (since the last reset).
    pub count: i64,
    /// First applied.
    pub first_at: EpochMillis,
    /// Last applied.
    pub last_at: EpochMillis,
}

/// The customer's tags and every tag in use, for the "add" dropdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagList {
    /// This customer's tags, most recently applied first.
    pub tags: Vec<CustomerTag>,
    /// Tags used anywhere in the programme, alphabetical.
    pub known: Vec<String>,
}

/// A tag as typed: trimmed, lower case, 1 to 40 letters, digits, `-` or `_`.
#[cfg(any(feature = "ssr", test))]
pub fn checked_tag(text: &str) -> Result<String, &'static str> {
    let tag = text.trim().to_lowercase();
    let valid = !tag.is_empty()
        && tag.chars().count() <= 40
        && tag
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(tag)
    } else {
        Err("Use 1 to 40 letters, digits, dashes or underscores, e.g. coffee-lover.")
    }
}

#[cfg(test)]
mod tests {
    use super::checked_tag;

    #[test]
    fn tags_are_trimmed_lower_case_words() {
        assert_eq!(checked_tag(" VIP "), Ok("vip".to_string()));
        assert_eq!(checked_tag("coffee-lover"), Ok("coffee-lover".to_string()));
        assert!(checked_tag("two words").is_err());
        assert!(checked_tag("").is_err());
    }
}
