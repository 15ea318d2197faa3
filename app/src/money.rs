//! Money: an amount in its currency's ISO 4217 minor units (cents of USD, yen of JPY, fils of
//! KWD) with the currency's code, exponents and symbols from ISO 4217 (the `iso_currency`
//! crate). Amounts are whole numbers of minor units and exact integer arithmetic; amounts of
//! different currencies are never added. One rule shows money everywhere: the organisation's
//! own currency with its symbol (`£314.96`), every other with its code after the amount
//! (`404.95 USD`, `14,319 JPY`, `1.250 KWD`).

use crate::time::group_thousands;
use serde::{Deserialize, Serialize};

/// Largest amount taken, in minor units: 10^12, the ingest schema's limit for an
/// `amount_cents` and the Shopify adapter's before minor units (far above any order).
const MAX_MINOR: i64 = 1_000_000_000_000;

/// The number of decimals of `currency` (ISO 4217's exponent: 0 for JPY, 2 for USD, 3 for
/// KWD); `None` for a code ISO 4217 does not list or one without minor units (gold, XDR).
pub fn exponent(currency: &str) -> Option<u32> {
    iso_currency::Currency::from_code(currency)?
        .exponent()
        .map(u32::from)
}

/// Whether `code` is an ISO 4217 currency people pay in (listed, with minor units).
pub fn is_currency(code: &str) -> bool {
    exponent(code).is_some()
}

/// The decimals used to show an amount of `currency` (2 for a code ISO 4217 does not list).
pub fn decimals(currency: &str) -> u32 {
    exponent(currency).unwrap_or(2)
}

/// An amount of one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// The amount in the currency's minor units.
    pub minor: i64,
    /// ISO 4217 code.
    pub currency: String,
}

impl Money {
    /// `minor` units of `currency`.
    pub fn new(minor: i64, currency: &str) -> Self {
        Self {
            minor,
            currency: currency.to_string(),
        }
    }

    /// `text` (`404.95`, `14319`, `1.250`) in `currency`'s major units, exactly: refused when
    /// it has more decimals than the currency (`1.5` yen), is not a plain decimal, or is too
    /// large.
    pub fn parse(text: &str, currency: &str) -> Result<Self, String> {
        let places = exponent(currency)
            .ok_or_else(|| format!("{currency:?} is not an ISO 4217 currency code"))?;
        Self::read(text, currency, places)
    }

    /// A third party's decimal amount (`"89.99"` or the JSON number `89.99`) in `currency`:
    /// like [`Money::parse`], except that digits beyond the currency's decimals are rounded
    /// half up (a float's tail, `89.99000000000001`, or a price given to more places than the
    /// currency has), and an amount whose currency is not said reads with two decimals.
    pub fn rounded(text: &str, currency: &str) -> Result<Self, String> {
        let places = decimals(currency);
        let text = text.trim();
        let cut = places as usize;
        let (kept, next) = match text.split_once('.') {
            Some((units, fraction))
                if fraction.len() > cut && fraction.bytes().all(|b| b.is_ascii_digit()) =>
            {
                (
                    format!("{units}.{}", &fraction[..cut]),
                    fraction.as_bytes()[cut],
                )
            }
            _ => (text.to_string(), b'0'),
        };
        let mut money = Self::read(kept.trim_end_matches('.'), currency, places)?;
        if next >= b'5' {
            money.minor += if text.starts_with('-') { -1 } else { 1 };
        }
        Ok(money)
    }

    /// `text` read with `places` decimals as an amount of `currency`.
    fn read(text: &str, currency: &str, places: u32) -> Result<Self, String> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (units, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let plain = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if units.is_empty() || !plain(units) || !plain(fraction) {
            return Err(format!("{text:?} is not an amount like 12.50"));
        }
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > places as usize {
            return Err(match places {
                0 => format!("{currency} has no minor unit: give whole {currency}, not {text}"),
                n => format!("{currency} has {n} decimals: {text} has more"),
            });
        }
        let scale = 10_i64.pow(places);
        let padded = format!("{fraction:0<width$}", width = places as usize);
        let minor = units
            .parse::<i64>()
            .ok()
            .and_then(|u| u.checked_mul(scale))
            .and_then(|m| m.checked_add(padded.parse::<i64>().unwrap_or(0)))
            .filter(|m| *m <= MAX_MINOR)
            .ok_or_else(|| format!("{text} is too large an amount"))?;
        Ok(Self::new(if negative { -minor } else { minor }, currency))
    }

    /// The amount in major units with its decimals, grouped in threes: `1,234.56`, `14,319`,
    /// `1.250`.
    pub fn amount_text(&self) -> String {
        let places = decimals(&self.currency);
        let scale = 10_u64.pow(places);
        let sign = if self.minor < 0 { "-" } else { "" };
        let minor = self.minor.unsigned_abs();
        let units = group_thousands(minor / scale);
        match places {
            0 => format!("{sign}{units}"),
            p => format!(
                "{sign}{units}.{:0width$}",
                minor % scale,
                width = p as usize
            ),
        }
    }

    /// As shown on screen, in exports and messages: with its symbol when it is the
    /// organisation's currency `home` (`£314.96`), else with its code after (`404.95 USD`).
    pub fn display(&self, home: &str) -> String {
        let symbol = iso_currency::Currency::from_code(&self.currency)
            .map(|c| c.symbol().symbol)
            .filter(|s| self.currency == home && s != "¤");
        match symbol {
            Some(symbol) if self.minor < 0 => {
                format!(
                    "-{symbol}{}",
                    Money::new(-self.minor, &self.currency).amount_text()
                )
            }
            Some(symbol) => format!("{symbol}{}", self.amount_text()),
            None => format!("{} {}", self.amount_text(), self.currency),
        }
    }
}

/// A customer's purchases and refunds in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyTotal {
    /// ISO 4217 code.
    pub currency: String,
    /// Purchases made in it.
    pub purchases: i64,
    /// Their totals, minor units.
    pub spent: i64,
    /// Refunded, minor units.
    pub refunded: i64,
}

/// `totals` with the organisation's currency `home` first, the others by code.
pub fn home_first(mut totals: Vec<CurrencyTotal>, home: &str) -> Vec<CurrencyTotal> {
    totals
        .sort_by(|a, b| (a.currency != home, &a.currency).cmp(&(b.currency != home, &b.currency)));
    totals
}

/// `a` and `b` added currency by currency (a merge's totals).
pub fn combined(a: &[CurrencyTotal], b: &[CurrencyTotal]) -> Vec<CurrencyTotal> {
    let mut out: Vec<CurrencyTotal> = a.to_vec();
    for total in b {
        match out.iter_mut().find(|t| t.currency == total.currency) {
            Some(t) => {
                t.purchases += total.purchases;
                t.spent += total.spent;
                t.refunded += total.refunded;
            }
            None => out.push(total.clone()),
        }
    }
    out
}

/// The net spend of each of `totals`, as shown beside the organisation's currency `home`:
/// `£314.96 · 404.95 USD`, or `None` yet.
pub fn net_spend_text(totals: &[CurrencyTotal], home: &str) -> String {
    if totals.is_empty() {
        return "None yet".into();
    }
    totals
        .iter()
        .map(|t| t.net().display(home))
        .collect::<Vec<_>>()
        .join(" · ")
}

impl CurrencyTotal {
    /// Spent less refunded.
    pub fn net(&self) -> Money {
        Money::new(self.spent - self.refunded, &self.currency)
    }

    /// The line a profile shows for it beside the organisation's currency `home`:
    /// `£314.96 spent in 2 purchases, £89.99 refunded`.
    pub fn summary(&self, home: &str) -> String {
        let mut line = format!(
            "{} spent in {}",
            Money::new(self.spent, &self.currency).display(home),
            crate::words::count(self.purchases, "purchase", "purchases")
        );
        if self.refunded != 0 {
            line += &format!(
                ", {} refunded",
                Money::new(self.refunded, &self.currency).display(home)
            );
        }
        line
    }
}

/// Every ISO 4217 currency people pay in: (code, "GBP · Pound sterling"), by code.
pub fn currency_choices() -> Vec<(String, String)> {
    use iso_currency::IntoEnumIterator;
    let mut choices: Vec<(String, String)> = iso_currency::Currency::iter()
        .filter(|c| c.exponent().is_some() && !c.is_fund() && c.is_superseded().is_none())
        .map(|c| (c.code().to_string(), format!("{} · {}", c.code(), c.name())))
        .collect();
    choices.sort();
    choices
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_come_from_iso_4217() {
        assert_eq!(exponent("JPY"), Some(0));
        assert_eq!(exponent("USD"), Some(2));
        assert_eq!(exponent("KWD"), Some(3));
        assert_eq!(exponent("CLF"), Some(4));
        assert_eq!(exponent("XAU"), None);
        assert_eq!(exponent("ABC"), None);
    }

    #[test]
    fn amounts_read_exactly_in_each_currency() {
        let minor = |t: &str, c: &str| Money::parse(t, c).map(|m| m.minor);
        assert_eq!(minor("14319", "JPY"), Ok(14_319));
        assert_eq!(minor("404.95", "USD"), Ok(40_495));
        assert_eq!(minor("404.9", "USD"), Ok(40_490));
        assert_eq!(minor("1.250", "KWD"), Ok(1_250));
        assert_eq!(minor("1.25", "KWD"), Ok(1_250));
        assert_eq!(minor("100.00", "JPY"), Ok(100), "zeros after the point");
        assert_eq!(minor("-5.10", "GBP"), Ok(-510));
        let yen = minor("1.5", "JPY").err().unwrap_or_default();
        assert!(yen.contains("no minor unit"), "{yen}");
        assert!(minor("1.2345", "KWD").is_err());
        assert!(minor("1,000", "USD").is_err());
        assert!(minor("1e3", "USD").is_err());
        assert!(minor("12", "XYZ").is_err());
        assert!(minor("99999999999999999999", "USD").is_err());
    }

    #[test]
    fn third_party_decimals_round_half_up_to_the_currency() {
        let minor = |t: &str, c: &str| Money::rounded(t, c).map(|m| m.minor);
        assert_eq!(minor("89.99000000000001", "USD"), Ok(8_999));
        assert_eq!(minor("0.125", "GBP"), Ok(13));
        assert_eq!(minor("14319.0", "JPY"), Ok(14_319));
        assert_eq!(minor("14319.5", "JPY"), Ok(14_320));
        assert_eq!(minor("1.2345", "KWD"), Ok(1_235));
        assert_eq!(minor("12.3", "USD"), Ok(1_230));
        assert!(
            minor("1.2\u{e9}55", "USD").is_err(),
            "not a digit: refused, not a panic"
        );
        assert_eq!(
            minor("12.505", "ZZZ"),
            Ok(1_251),
            "no currency said: two decimals"
        );
    }

    #[test]
    fn the_home_currency_shows_its_symbol_and_others_their_code() {
        assert_eq!(Money::new(31_496, "GBP").display("GBP"), "£314.96");
        assert_eq!(Money::new(40_495, "USD").display("GBP"), "404.95 USD");
        assert_eq!(Money::new(40_495, "USD").display("USD"), "$404.95");
        assert_eq!(Money::new(14_319, "JPY").display("GBP"), "14,319 JPY");
        assert_eq!(Money::new(14_319, "JPY").display("JPY"), "¥14,319");
        assert_eq!(Money::new(1_250, "KWD").display("GBP"), "1.250 KWD");
        assert_eq!(Money::new(-500, "GBP").display("GBP"), "-£5.00");
        assert_eq!(
            Money::new(123_456_789, "EUR").display("GBP"),
            "1,234,567.89 EUR"
        );
        assert_eq!(Money::new(5, "ZZZ").display("GBP"), "0.05 ZZZ");
    }

    #[test]
    fn totals_put_the_home_currency_first() {
        let total = |c: &str| CurrencyTotal {
            currency: c.into(),
            purchases: 1,
            spent: 100,
            refunded: 10,
        };
        let ordered = home_first(vec![total("AUD"), total("USD"), total("GBP")], "GBP");
        let codes: Vec<&str> = ordered.iter().map(|t| t.currency.as_str()).collect();
        assert_eq!(codes, ["GBP", "AUD", "USD"]);
        assert_eq!(ordered[0].net(), Money::new(90, "GBP"));
        assert_eq!(
            ordered[0].summary("GBP"),
            "£1.00 spent in 1 purchase, £0.10 refunded"
        );
        assert!(currency_choices().iter().any(|(c, _)| c == "JPY"));
        let merged = home_first(combined(&ordered, &[total("GBP"), total("JPY")]), "GBP");
        assert_eq!(merged[0].spent, 200, "GBP added to GBP");
        assert_eq!(
            net_spend_text(&merged, "GBP"),
            "£1.80 · 0.90 AUD · 90 JPY · 0.90 USD"
        );
    }
}
