//! Words people read: counts with the right plural, ordinals, and names of things turned into
//! labels. Every count and rank on screen goes through here, not through an ad-hoc `format!`.

use crate::time::format_count;

/// `1 purchase`, `2 purchases`, `12,000 purchases`: the count grouped in threes with the
/// singular only for exactly one.
pub fn count(n: i64, singular: &str, plural: &str) -> String {
    let noun = if n == 1 { singular } else { plural };
    format!("{} {noun}", format_count(n))
}

/// `a`, `a and b`, `a, b and c`: items read as a list.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `12th`, `13th`, `21st`, `93rd`, `100th`.
pub fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Short words written in capitals wherever they stand.
const ACRONYMS: [&str; 11] = [
    "sms", "os", "pii", "url", "api", "gdpr", "rfm", "clv", "pos", "vip", "ios",
];

/// A snake_case name as a label: `points_earned` → `Points earned`, with acronyms in
/// capitals (`sms_verification_reset` → `SMS verification reset`, `app_os` → `App OS`).
pub fn label(name: &str) -> String {
    name.split('_')
        .filter(|word| !word.is_empty())
        .enumerate()
        .map(|(i, word)| {
            if ACRONYMS.contains(&word.to_ascii_lowercase().as_str()) {
                if word.eq_ignore_ascii_case("ios") {
                    "iOS".to_string()
                } else {
                    word.to_uppercase()
                }
            } else if i == 0 {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `value` percent-encoded for a URL query string (unreserved characters kept).
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_sentences() {
        let items = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&items(&[])), "");
        assert_eq!(and_list(&items(&["a"])), "a");
        assert_eq!(and_list(&items(&["a", "b"])), "a and b");
        assert_eq!(and_list(&items(&["a", "b", "c"])), "a, b and c");
    }

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(1, "purchase", "purchases"), "1 purchase");
        assert_eq!(count(0, "purchase", "purchases"), "0 purchases");
        assert_eq!(count(2, "update", "updates"), "2 updates");
        assert_eq!(count(12_000, "customer", "customers"), "12,000 customers");
        assert_eq!(count(-1, "point", "points"), "-1 points");
    }

    #[test]
    fn ordinals_follow_english_including_the_teens() {
        let cases = [
            (1, "1st"),
            (2, "2nd"),
            (3, "3rd"),
            (4, "4th"),
            (11, "11th"),
            (12, "12th"),
            (13, "13th"),
            (21, "21st"),
            (22, "22nd"),
            (93, "93rd"),
            (100, "100th"),
            (101, "101st"),
            (111, "111th"),
        ];
        for (n, expected) in cases {
            assert_eq!(ordinal(n), expected);
        }
    }

    #[test]
    fn labels_read_as_words_with_acronyms_in_capitals() {
        assert_eq!(label("points_earned"), "Points earned");
        assert_eq!(label("purchase"), "Purchase");
        assert_eq!(label("sms_verification_reset"), "SMS verification reset");
        assert_eq!(label("external_id"), "External id");
        assert_eq!(label("app_os_version"), "App OS version");
        assert_eq!(label("ios_app_installed"), "iOS app installed");
        assert_eq!(label(""), "");
    }
}
