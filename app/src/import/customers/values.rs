//! Values as CRM exports write them, read into what Add Customer's form takes: cells cleaned
//! of spreadsheet armour, countries by name or code (ISO 3166-1 through `celes`), dates in the
//! exports' formats (the day/month order read from the whole column, never guessed per row),
//! and consent in the vocabularies of Klaviyo, Mailchimp, Shopify, HubSpot and spreadsheets.

use chrono::NaiveDate;

/// A cell as typed, cleaned: the apostrophe Shopify puts before numbers and dates so that
/// spreadsheets keep them as text taken off, no-break and other odd spaces made plain,
/// trimmed.
pub fn cleaned(value: &str) -> String {
    let plain: String = value
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let trimmed = plain.trim();
    trimmed
        .strip_prefix('\'')
        .unwrap_or(trimmed)
        .trim()
        .to_string()
}

/// Whether a file writes its numeric dates day first (`15/05/1970`) or month first
/// (`05/15/1970`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    /// Nothing in the column tells (every value could be either), or it says both.
    #[default]
    Unknown,
    /// Day, month, year.
    DayFirst,
    /// Month, day, year (US, Zoho, Salesforce reports in US locale).
    MonthFirst,
}

impl DateOrder {
    /// The order a whole column's values show: a first number over 12 can only be a day, a
    /// second over 12 only a day too; a column with both kinds says nothing.
    pub fn of_column(values: impl IntoIterator<Item = impl AsRef<str>>) -> Self {
        let (mut day_first, mut month_first) = (false, false);
        for value in values {
            if let Some((a, b, _)) = numeric_parts(&cleaned(value.as_ref())) {
                day_first |= a > 12 && b <= 12;
                month_first |= b > 12 && a <= 12;
            }
        }
        match (day_first, month_first) {
            (true, false) => Self::DayFirst,
            (false, true) => Self::MonthFirst,
            _ => Self::Unknown,
        }
    }
}

/// `a/b/yyyy` or `a-b-yyyy`: the two numbers before a four-digit year.
fn numeric_parts(value: &str) -> Option<(u32, u32, i32)> {
    let parts: Vec<&str> = value.split(['/', '-']).collect();
    let [a, b, year] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 || a.len() > 2 || b.len() > 2 {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?, year.parse().ok()?))
}

/// A date of birth as `YYYY-MM-DD`, from the ways exports write dates: ISO (with or without a
/// time after it), `YYYY/MM/DD`, `DD.MM.YYYY`, `15 May 1970`, `May 15, 1970`, and `a/b/YYYY` in
/// the file's `order`.
pub fn date(value: &str, order: DateOrder) -> Result<String, String> {
    let value = cleaned(value);
    let iso = |date: NaiveDate| date.format("%Y-%m-%d").to_string();
    let head = value.get(..10).unwrap_or(&value);
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%d.%m.%Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(head, format) {
            return Ok(iso(date));
        }
    }
    for format in [
        "%d %B %Y",
        "%d %b %Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%B %d %Y",
        "%b %d %Y",
    ] {
        if let Ok(date) = NaiveDate::parse_from_str(&value, format) {
            return Ok(iso(date));
        }
    }
    if let Some((a, b, year)) = numeric_parts(&value) {
        let (day, month) = match order {
            DateOrder::DayFirst => (a, b),
            DateOrder::MonthFirst => (b, a),
            DateOrder::Unknown if a > 12 => (a, b),
            DateOrder::Unknown if b > 12 || a == b => (b, a),
            DateOrder::Unknown => {
                return Err(format!(
                    "could be {a} {} or {b} {} and nothing else in the column tells the \
                     day/month order: choose \"day first\" or \"month first\" for the column",
                    month_name(b),
                    month_name(a)
                ))
            }
        };
        return NaiveDate::from_ymd_opt(year, month, day)
            .map(iso)
            .ok_or_else(|| "is not a date".to_string());
    }
    if value.split(['/', '-']).count() == 2 && value.len() <= 5 {
        return Err("has no year (a birthday without its year cannot be stored)".into());
    }
    Err("is not a date (write it as YYYY-MM-DD)".into())
}

fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

/// Consent (or any yes/no) as exports write it: `yes`/`no`, `true`/`false`, `1`/`0`, `x`,
/// Klaviyo's `SUBSCRIBED` / `UNSUBSCRIBED` / `NEVER_SUBSCRIBED`, Mailchimp's `subscribed` /
/// `unsubscribed` / `cleaned` / `pending`, `opted in` / `opted out`, `granted` / `denied`.
pub fn consent(value: &str) -> Option<bool> {
    let word: String = cleaned(value)
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    match word.as_str() {
        "yes" | "y" | "true" | "1" | "on" | "x" | "opted_in" | "opt_in" | "subscribed"
        | "confirmed" | "granted" | "accepted" | "single_opt_in" | "double_opt_in" => Some(true),
        "no" | "n" | "false" | "0" | "off" | "opted_out" | "opt_out" | "unsubscribed"
        | "never_subscribed" | "not_subscribed" | "non_subscribed" | "cleaned" | "pending"
        | "denied" | "declined" | "revoked" | "suppressed" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_armour_comes_off() {
        assert_eq!(cleaned("'+447700900654"), "+447700900654");
        assert_eq!(cleaned("\u{a0}Zoë\u{a0}"), "Zoë");
        assert_eq!(cleaned("O'Brien"), "O'Brien");
    }

    #[test]
    fn dates_read_in_the_files_order() {
        assert_eq!(
            date("1970-05-15T00:00:00Z", DateOrder::Unknown).as_deref(),
            Ok("1970-05-15")
        );
        assert_eq!(
            date("15.05.1970", DateOrder::Unknown).as_deref(),
            Ok("1970-05-15")
        );
        assert_eq!(
            date("5/15/1970", DateOrder::Unknown).as_deref(),
            Ok("1970-05-15")
        );
        assert_eq!(
            date("15/5/1970", DateOrder::Unknown).as_deref(),
            Ok("1970-05-15")
        );
        assert_eq!(
            date("03/04/1985", DateOrder::MonthFirst).as_deref(),
            Ok("1985-03-04")
        );
        assert_eq!(
            date("03/04/1985", DateOrder::DayFirst).as_deref(),
            Ok("1985-04-03")
        );
        let ambiguous = date("03/04/1985", DateOrder::Unknown);
        assert!(ambiguous.is_err_and(|e| e.contains("day/month order")));
        assert_eq!(
            date("May 15, 1970", DateOrder::Unknown).as_deref(),
            Ok("1970-05-15")
        );
        let no_year = date("05/15", DateOrder::Unknown);
        assert!(no_year.is_err_and(|e| e.contains("no year")));
        assert!(date("2/30/1990", DateOrder::MonthFirst).is_err());
    }

    #[test]
    fn a_column_tells_its_order_only_when_it_can() {
        let us = ["03/04/1985", "5/15/1970", ""];
        assert_eq!(DateOrder::of_column(us), DateOrder::MonthFirst);
        let eu = ["03/04/1985", "15/5/1970"];
        assert_eq!(DateOrder::of_column(eu), DateOrder::DayFirst);
        assert_eq!(DateOrder::of_column(["03/04/1985"]), DateOrder::Unknown);
        let mixed = ["13/01/1990", "01/13/1990"];
        assert_eq!(DateOrder::of_column(mixed), DateOrder::Unknown);
    }

    #[test]
    fn consent_vocabularies() {
        for yes in ["SUBSCRIBED", "Yes", "opted in", "TRUE", "1"] {
            assert_eq!(consent(yes), Some(true), "{yes}");
        }
        for no in ["NEVER_SUBSCRIBED", "UNSUBSCRIBED", "no", "cleaned", "false"] {
            assert_eq!(consent(no), Some(false), "{no}");
        }
        assert_eq!(consent("maybe"), None);
    }
}
