//! Timestamps: stored as UTC milliseconds since the Unix epoch (portable across SQLite and
//! PostgreSQL, sortable, compact), shown to people in the organisation's time zone (UTC until
//! an administrator chooses one).

use chrono::{DateTime, FixedOffset, Utc};
use leptos::prelude::use_context;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Milliseconds since the Unix epoch, UTC.
pub type EpochMillis = i64;

/// The current time in epoch milliseconds.
pub fn now_millis() -> EpochMillis {
    Utc::now().timestamp_millis()
}

/// The time zone dates and times are shown in, as the UTC offset and abbreviation in force
/// from each instant on. The server works the periods out from the tz database for the
/// organisation's zone and hands them to the browser with the page, so both sides render the
/// same text without the browser carrying the tz database. No periods means UTC.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayZone {
    /// IANA name, e.g. `Europe/London`; empty for UTC.
    pub name: String,
    /// `(from, offset, abbreviation)`: from epoch second `from` on, local time is UTC plus
    /// `offset` minutes and is called `abbreviation`. Ascending; the first also applies
    /// before its start.
    pub periods: Vec<(i64, i32, String)>,
}

impl DisplayZone {
    /// The offset in minutes and the abbreviation in force at `millis`.
    fn at(&self, millis: EpochMillis) -> (i32, &str) {
        let second = millis.div_euclid(1000);
        let after = self.periods.partition_point(|(from, _, _)| *from <= second);
        match self.periods.get(after.saturating_sub(1)) {
            Some((_, offset, abbreviation)) => (*offset, abbreviation),
            None => (0, "UTC"),
        }
    }

    /// `millis` in this zone, formatted with `pattern` (chrono's strftime), or `None` when it is
    /// out of range.
    fn format(&self, millis: EpochMillis, pattern: &str) -> Option<(String, &str)> {
        let (offset, abbreviation) = self.at(millis);
        let zone = FixedOffset::east_opt(offset.checked_mul(60)?)?;
        let local = DateTime::<Utc>::from_timestamp_millis(millis)?.with_timezone(&zone);
        Some((local.format(pattern).to_string(), abbreviation))
    }

    /// `2026-06-14 03:15 BST`, or an em dash for a value that is out of range.
    pub fn date_time(&self, millis: EpochMillis) -> String {
        self.format(millis, "%Y-%m-%d %H:%M")
            .map(|(text, abbreviation)| format!("{text} {abbreviation}"))
            .unwrap_or_else(|| "—".into())
    }

    /// `14 Jun 2026`, or an em dash for a value that is out of range.
    pub fn date(&self, millis: EpochMillis) -> String {
        self.format(millis, "%-d %b %Y")
            .map(|(text, _)| text)
            .unwrap_or_else(|| "—".into())
    }

    /// The instant local midnight begins day `date` (`YYYY-MM-DD`) plus `days_after` days in
    /// this zone (so a date filter means the days the pages show); `None` if it is no date.
    pub fn day_start(&self, date: &str, days_after: i64) -> Option<EpochMillis> {
        let day = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .ok()?
            .checked_add_signed(chrono::TimeDelta::try_days(days_after)?)?;
        let wall = day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis();
        // The offset in force an offset before the wall-clock time as UTC is the one at
        // local midnight, unless a change falls in between; then the second look finds it.
        let (guess, _) = self.at(wall);
        let (offset, _) = self.at(wall - i64::from(guess) * 60_000);
        Some(wall - i64::from(offset) * 60_000)
    }
}

/// The display zone of the page being rendered (shared, cheap to clone), provided once in
/// `App`; outside a page (server functions, exports) times are UTC.
#[derive(Debug, Clone, Default)]
pub struct PageZone(pub Arc<DisplayZone>);

fn page_zone() -> Arc<DisplayZone> {
    use_context::<PageZone>().unwrap_or_default().0
}

/// `2026-11-22 17:44 UTC` in the page's time zone, or an em dash for a value out of range.
pub fn format_date_time(millis: EpochMillis) -> String {
    page_zone().date_time(millis)
}

/// `22 Nov 2026` in the page's time zone, or an em dash for a value that is out of range.
pub fn format_date(millis: EpochMillis) -> String {
    page_zone().date(millis)
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
    fn counts_are_grouped_in_threes() {
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(-12_000), "-12,000");
    }

    #[test]
    fn timestamps_render_in_utc_outside_a_page() {
        assert_eq!(format_date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_date(1_795_000_000_000), "18 Nov 2026");
        assert_eq!(format_date_time(i64::MAX), "—");
    }

    #[test]
    fn a_zone_applies_the_period_in_force() {
        let london = DisplayZone {
            name: "Europe/London".into(),
            periods: vec![
                (1_774_746_000, 60, "BST".into()), // 2026-03-29 01:00 UTC
                (1_792_890_000, 0, "GMT".into()),  // 2026-10-25 01:00 UTC
            ],
        };
        assert_eq!(london.date_time(1_774_745_999_000), "2026-03-29 01:59 BST");
        assert_eq!(london.date_time(1_774_746_000_000), "2026-03-29 02:00 BST");
        assert_eq!(london.date_time(1_781_000_000_000), "2026-06-09 11:13 BST");
        assert_eq!(london.date_time(1_792_890_000_000), "2026-10-25 01:00 GMT");
        assert_eq!(london.date(1_781_000_000_000), "9 Jun 2026");
        assert_eq!(DisplayZone::default().date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(london.date_time(i64::MAX), "—");
        // Filters by day: local midnight.
        assert_eq!(london.day_start("2026-06-09", 0), Some(1_780_959_600_000));
        assert_eq!(
            DisplayZone::default().day_start(" 2026-06-09 ", 1),
            Some(1_781_049_600_000)
        );
        assert_eq!(london.day_start("9 June", 0), None);
    }
}
