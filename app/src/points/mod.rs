//! Loyalty points changed by an agent: the "Adjust" action of the profile header.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod dialog;
mod ledger;
#[cfg(feature = "ssr")]
pub mod service;

pub use dialog::AdjustPointsButton;
pub use ledger::{points_ledger, LedgerLine, LedgerPage, PointsLedger};

/// The largest single adjustment, either way (a typo guard, not a business rule).
pub const MAX_ADJUSTMENT: i64 = 1_000_000;

/// Parses the points typed by an agent (`250`, `-100`, `+40`, `1,000`).
pub fn parse_points(text: &str) -> Result<i64, String> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != ' ')
        .collect();
    let cleaned = cleaned.strip_prefix('+').unwrap_or(&cleaned);
    let points: i64 = cleaned
        .parse()
        .map_err(|_| "Enter a whole number of points, e.g. 250 or -100.".to_string())?;
    if points == 0 {
        return Err("Enter a number other than zero.".into());
    }
    if points.abs() > MAX_ADJUSTMENT {
        return Err(format!("Adjust at most {MAX_ADJUSTMENT} points at a time."));
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::parse_points;

    #[test]
    fn points_parse_with_signs_and_separators() {
        assert_eq!(parse_points("+1,000"), Ok(1000));
        assert_eq!(parse_points(" -25 "), Ok(-25));
        assert!(parse_points("0").is_err());
        assert!(parse_points("ten").is_err());
        assert!(parse_points("2000000").is_err());
    }
}
