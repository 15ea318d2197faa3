//! Timestamps: stored as UTC milliseconds since the Unix epoch (portable across SQLite and
//! PostgreSQL, sortable, compact), shown to people as UTC date and time.

use chrono::{DateTime, Utc};

/// Milliseconds since the Unix epoch, UTC.
pub type EpochMillis = i64;

/// The current time in epoch milliseconds.
pub fn now_millis() -> EpochMillis {
    Utc::now().timestamp_millis()
}

/// `2026-11-22 17:44 UTC`, or an em dash for a value that is out of range.
pub fn format_date_time(millis: EpochMillis) -> String {
    DateTime::<Utc>::from_timestamp_millis(millis)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "—".into())
}

/// `22 Nov 2026`, or an em dash for a value that is out of range.
pub fn format_date(millis: EpochMillis) -> String {
    DateTime::<Utc>::from_timestamp_millis(millis)
        .map(|t| t.format("%-d %b %Y").to_string())
        .unwrap_or_else(|| "—".into())
}

/// Formats minor currency units: `123456` → `1,234.56`.
pub fn format_money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", group_thousands(cents / 100), cents % 100)
}

/// Groups digits in threes: `1234567` → `1,234,567`.
pub fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Formats a signed count with thousands separators: `-12000` → `-12,000`.
pub fn format_count(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}", group_thousands(value.unsigned_abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_with_two_decimals() {
        assert_eq!(format_money(0), "0.00");
        assert_eq!(format_money(5), "0.05");
        assert_eq!(format_money(123_456), "1,234.56");
        assert_eq!(format_money(-100_000_001), "-1,000,000.01");
    }

    #[test]
    fn counts_are_grouped_in_threes() {
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(-12_000), "-12,000");
    }

    #[test]
    fn timestamps_render_in_utc() {
        assert_eq!(format_date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_date(1_795_000_000_000), "18 Nov 2026");
        assert_eq!(format_date_time(i64::MAX), "—");
    }
}
