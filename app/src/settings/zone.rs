//! The organisation's time zone: validated against the tz database, turned into the periods
//! pages are rendered with, and kept in the server's state so no page reads it from the
//! database.

use crate::time::DisplayZone;
use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::{OffsetName, Tz};
use std::sync::{Arc, PoisonError, RwLock};

/// The first and last instants (epoch seconds) whose offsets are worked out: 2000-01-01 to
/// 2050-01-01. Before and after, the nearest period applies.
const FROM: i64 = 946_684_800;
const UNTIL: i64 = 2_524_608_000;

/// The zone called `name` (an IANA name such as `Europe/London`; case as in the database).
pub fn parse(name: &str) -> Option<Tz> {
    name.trim().parse().ok()
}

/// Every IANA zone name, for the settings form's suggestions.
pub fn names() -> Vec<String> {
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name().to_owned())
        .collect()
}

/// The periods of `tz` between [`FROM`] and [`UNTIL`]: a day at a time, and to the second
/// where the offset or abbreviation changes.
pub fn display_zone(tz: Tz) -> DisplayZone {
    let period = |second: i64| {
        let instant = DateTime::from_timestamp(second, 0).unwrap_or_default();
        let offset = tz.offset_from_utc_datetime(&instant.naive_utc());
        let minutes = offset.fix().local_minus_utc() / 60;
        let abbreviation = match offset.abbreviation() {
            Some(name) if name.chars().all(char::is_alphabetic) => name.to_owned(),
            _ => utc_offset_name(minutes),
        };
        (minutes, abbreviation)
    };
    let mut current = period(FROM);
    let mut periods = vec![(FROM, current.0, current.1.clone())];
    let mut day = FROM;
    while day < UNTIL {
        let next_day = day + 86_400;
        if period(next_day) != current {
            // The first second of the new period lies in (day, next_day].
            let (mut before, mut after) = (day, next_day);
            while after - before > 1 {
                let middle = before + (after - before) / 2;
                if period(middle) == current {
                    before = middle;
                } else {
                    after = middle;
                }
            }
            current = period(after);
            periods.push((after, current.0, current.1.clone()));
        }
        day = next_day;
    }
    DisplayZone {
        name: tz.name().to_owned(),
        periods,
    }
}

/// `UTC+5:30`, `UTC-3`, `UTC` for zones whose abbreviation is only a number.
fn utc_offset_name(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    match (minutes.abs() / 60, minutes.abs() % 60) {
        (0, 0) => "UTC".into(),
        (hours, 0) => format!("UTC{sign}{hours}"),
        (hours, rest) => format!("UTC{sign}{hours}:{rest:02}"),
    }
}

/// The zone setting as stored, ready for pages (UTC when none was chosen, or when the stored
/// name is no longer in the tz database).
pub async fn load(db: &crate::store::Db) -> Result<ZoneSetting, sqlx::Error> {
    let setting = ZoneSetting::default();
    if let Some(tz) = super::db::time_zone(db).await?.as_deref().and_then(parse) {
        setting.set(display_zone(tz));
    }
    Ok(setting)
}

/// The zone pages are rendered in, shared by the server's requests. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct ZoneSetting(Arc<RwLock<Arc<DisplayZone>>>);

impl ZoneSetting {
    /// The current zone.
    pub fn get(&self) -> Arc<DisplayZone> {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Switches every page rendered from now on to `zone`.
    pub fn set(&self, zone: DisplayZone) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(zone);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn london_has_two_periods_a_year_found_to_the_second() {
        let london = display_zone(chrono_tz::Europe::London);
        assert_eq!(london.name, "Europe/London");
        assert_eq!(london.periods.len(), 1 + 2 * 50);
        assert!(london.periods.contains(&(1_774_746_000, 60, "BST".into())));
        assert!(london.periods.contains(&(1_792_890_000, 0, "GMT".into())));
        assert_eq!(london.date_time(1_781_000_000_000), "2026-06-09 11:13 BST");
        assert_eq!(london.date_time(1_795_000_000_000), "2026-11-18 11:06 GMT");
        // The day the clocks go forward lasts 23 hours, the day they go back 25.
        let day = |date: &str| {
            london
                .day_start(date, 1)
                .zip(london.day_start(date, 0))
                .map(|(end, start)| (end - start) / 3_600_000)
        };
        assert_eq!(day("2026-03-29"), Some(23));
        assert_eq!(day("2026-10-25"), Some(25));
        assert_eq!(day("2026-06-09"), Some(24));
    }

    #[test]
    fn zones_without_daylight_saving_or_letters_still_read_well() {
        let kolkata = display_zone(chrono_tz::Asia::Kolkata);
        assert_eq!(kolkata.periods, vec![(FROM, 330, "IST".into())]);
        let dubai = display_zone(chrono_tz::Asia::Dubai);
        assert_eq!(dubai.date_time(0), "1970-01-01 04:00 UTC+4");
        assert_eq!(utc_offset_name(-210), "UTC-3:30");
        assert_eq!(parse(" Europe/London "), Some(chrono_tz::Europe::London));
        assert!(parse("Mars/Olympus_Mons").is_none());
        assert!(parse("").is_none());
    }
}
