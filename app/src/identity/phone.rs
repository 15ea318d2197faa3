//! Phone numbers through libphonenumber's metadata (the `phonenumber` crate): any way people
//! write a number (national or international format, a trunk 0 after the country code, `tel:`
//! links, no-break spaces, full-width digits, an extension) is read into E.164, the form it is
//! stored and found by, and shown nationally for the organisation's own region. A national
//! number is read in the organisation's region (GB, US, CA…). A number is accepted when its length is
//! possible for its country: the metadata lags new allocations, and refusing a real customer's
//! number costs more than keeping one from an unallocated range.

use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber};

/// A phone number as stored: E.164 and the extension, kept apart (the extension is shown, not
/// looked up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// `+441212345655`.
    pub e164: String,
    /// `123` from `… ext. 123`.
    pub extension: Option<String>,
}

/// The region `id` names (`GB`, `us`), when libphonenumber's metadata has numbers for it.
pub fn region(id: &str) -> Option<Id> {
    let id: Id = id.trim().to_ascii_uppercase().parse().ok()?;
    phonenumber::metadata::DATABASE
        .by_id(id.as_ref())
        .map(|_| id)
}

/// The main region of calling code `code` (`44` → GB, `1` → US), when the metadata knows the
/// code, and the other regions sharing it (`1` → CA, AG, …).
pub fn regions_of(code: &str) -> Option<(Id, Vec<String>)> {
    let code: u16 = code.trim().trim_start_matches('+').parse().ok()?;
    let regions = phonenumber::metadata::DATABASE.region(&code)?;
    let (main, others) = regions.split_first()?;
    Some((
        main.parse().ok()?,
        others.iter().map(|r| r.to_string()).collect(),
    ))
}

/// Every region with numbers, as (id, calling code), by id.
pub fn all_regions() -> Vec<(String, u16)> {
    let mut regions: Vec<(String, u16)> = phonenumber::metadata::DATABASE
        .iter()
        .filter(|meta| meta.id().len() == 2 && meta.id() != "ZZ")
        .map(|meta| (meta.id().to_string(), meta.country_code()))
        .collect();
    regions.sort();
    regions.dedup();
    regions
}

/// The calling code of region `id` (`GB` → 44).
pub fn calling_code_of(id: Id) -> Option<u16> {
    phonenumber::metadata::DATABASE
        .by_id(id.as_ref())
        .map(|meta| meta.country_code())
}

/// A stored number (`e164`, with the `typed` form its extension is read from) as people read
/// it: the national format for numbers of `home`, the international one otherwise, and the
/// extension after it (`0121 234 5655 ext. 123`, `+1 201-555-0126`). A value that does not
/// parse is shown as stored.
pub fn for_display(e164: &str, typed: Option<&str>, home: Option<Id>) -> String {
    let Ok(number) = phonenumber::parse(None, e164) else {
        return e164.to_string();
    };
    let national = home.is_some() && number.country().id() == home;
    let mode = if national {
        Mode::National
    } else {
        Mode::International
    };
    let shown = number.format().mode(mode).to_string();
    let extension = typed
        .and_then(|t| parse(t, home).ok())
        .filter(|p| p.e164 == e164)
        .and_then(|p| p.extension);
    match extension {
        Some(ext) => format!("{shown} ext. {ext}"),
        None => shown,
    }
}

/// Readings kept, so that a number read twice in a row of work (an import row's identifier,
/// then the same number in Add Customer's validation) costs libphonenumber once.
const REMEMBERED: usize = 8_192;

type Readings = std::collections::HashMap<(String, Option<Id>), Result<Phone, String>>;

static READINGS: std::sync::LazyLock<std::sync::Mutex<Readings>> =
    std::sync::LazyLock::new(Default::default);

/// `input` read as a phone number in `region` (national numbers) or in any country (written
/// with `+` or an international prefix); what is wrong otherwise, with the form expected.
pub fn parse(input: &str, region: Option<Id>) -> Result<Phone, String> {
    let key = (input.to_string(), region);
    if let Some(reading) = READINGS.lock().ok().and_then(|r| r.get(&key).cloned()) {
        return reading;
    }
    let reading = read_phone(input, region);
    if let Ok(mut readings) = READINGS.lock() {
        if readings.len() >= REMEMBERED {
            readings.clear();
        }
        readings.insert(key, reading.clone());
    }
    reading
}

fn read_phone(input: &str, region: Option<Id>) -> Result<Phone, String> {
    let text = ascii_forms(input);
    let number = read(&text, region).ok_or_else(|| expected(region))?;
    if !is_possible(&number) {
        return Err(expected(region));
    }
    Ok(Phone {
        e164: number.format().mode(Mode::E164).to_string(),
        extension: number.extension().map(|e| e.to_string()),
    })
}

/// libphonenumber's reading of `text`. The crate strips the given region's national prefix
/// from a number of another country too (in a US organisation `+44 121 234 5655` lost the 1 of
/// 121; in a British one `+39 06…` would lose the 0 Italy keeps), so a number written
/// internationally (with `+`, or with the region's international prefix, `011 44…`) is read
/// in its own country, which drops that country's national prefix only (`+44 0121…`,
/// `+49 (0)30…`).
fn read(text: &str, region: Option<Id>) -> Option<PhoneNumber> {
    let (number, written) = match phonenumber::parse(None, text) {
        Ok(number) => (number, text.to_string()),
        Err(_) => {
            let number = phonenumber::parse(region, text).ok()?;
            let code = number.code().value();
            if region.and_then(calling_code_of) == Some(code) {
                return Some(number);
            }
            let written = after_international_prefix(text, region?, code)?;
            (phonenumber::parse(None, &written).ok()?, written)
        }
    };
    let code = number.code().value();
    regions_of(&code.to_string())
        .and_then(|(own, _)| phonenumber::parse(Some(own), &written).ok())
        .filter(|again| again.code().value() == code)
        .or(Some(number))
}

/// `text` with the leading digits that are `region`'s international prefix replaced by `+`,
/// when calling code `code` follows them (`011 44 121…` in the US → `+ 44 121…`).
fn after_international_prefix(text: &str, region: Id, code: u16) -> Option<String> {
    let idd = phonenumber::metadata::DATABASE
        .by_id(region.as_ref())?
        .international_prefix()?;
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let code = code.to_string();
    let prefix_length = (1..digits.len().min(8)).find(|&k| {
        idd.find(&digits[..k])
            .is_some_and(|m| m.start() == 0 && m.end() == k)
            && digits[k..].starts_with(&code)
    })?;
    let mut skipped = 0;
    let rest: String = text
        .chars()
        .skip_while(|c| {
            let skip = skipped < prefix_length;
            skipped += usize::from(skip && c.is_ascii_digit());
            skip
        })
        .collect();
    Some(format!("+{rest}"))
}

/// `input` with full-width digits and signs (Japanese and Chinese input methods) as ASCII.
fn ascii_forms(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// Whether the national number's length is one its country's numbers have (its region's, or
/// for a number no region claims, the main country's of its calling code).
fn is_possible(number: &PhoneNumber) -> bool {
    let database = &*phonenumber::metadata::DATABASE;
    let code = number.code().value();
    let own = number
        .country()
        .id()
        .and_then(|id| database.by_id(id.as_ref()));
    let main = || {
        database
            .by_code(&code)
            .and_then(|all| all.into_iter().next())
    };
    let Some(meta) = own.or_else(main) else {
        return false;
    };
    let national = number.national();
    let digits = national.value().to_string().len() + usize::from(national.zeros());
    let d = meta.descriptors();
    [
        Some(d.general()),
        d.fixed_line(),
        d.mobile(),
        d.toll_free(),
        d.premium_rate(),
        d.shared_cost(),
        d.personal_number(),
        d.voip(),
        d.pager(),
        d.uan(),
        d.voicemail(),
    ]
    .into_iter()
    .flatten()
    .flat_map(|desc| desc.possible_length())
    .any(|length| usize::from(*length) == digits)
}

/// The error for a number that cannot be read in `region`, with an example of the form.
fn expected(region: Option<Id>) -> String {
    let example = region.and_then(|id| {
        let meta = phonenumber::metadata::DATABASE.by_id(id.as_ref())?;
        let mobile = meta.descriptors().mobile()?.example()?;
        let number = phonenumber::parse(Some(id), mobile).ok()?;
        Some((
            number.format().mode(Mode::National).to_string(),
            number.format().mode(Mode::International).to_string(),
        ))
    });
    match (region, example) {
        (Some(id), Some((national, international))) => format!(
            "This is not a valid {} phone number: write it like {national}, or with its \
             country code, like {international}.",
            id.as_ref()
        ),
        _ => "This is not a valid phone number: write it with its country code, like \
              +44 7400 123456."
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(input: &str, region: &str) -> Result<String, String> {
        parse(
            input,
            Some(region.parse().map_err(|_| "region".to_string())?),
        )
        .map(|p| p.e164)
    }

    #[test]
    fn the_spellings_people_type_are_one_number() {
        for (region, spellings, expected) in [
            (
                "GB",
                &[
                    "+44 0121 234 5655",
                    "0121 234 5655",
                    "+44 (0)121 234 5655",
                    "0044 121 234 5655",
                    "tel:+44-121-234-5655",
                    "0121\u{a0}234\u{a0}5655",
                    "0121 234 5655 ext. 123",
                ][..],
                "+441212345655",
            ),
            (
                "US",
                &[
                    "(201) 555-0126",
                    "1-201-555-0126",
                    "+1 201-555-0126",
                    "201.555.0126",
                ][..],
                "+12015550126",
            ),
            (
                "BR",
                &["(11) 96123-4567", "+55 11 96123-4567"][..],
                "+5511961234567",
            ),
            (
                "IN",
                &["8123456783", "081234 56783", "+91 81234 56783"][..],
                "+918123456783",
            ),
            (
                "DE",
                &["030/123457", "+49 030 123457", "030 123457"][..],
                "+4930123457",
            ),
            (
                "JP",
                &["０３-１２３４-５６７８", "03-1234-5678", "+81 3-1234-5678"][..],
                "+81312345678",
            ),
        ] {
            for spelling in spellings {
                assert_eq!(
                    e164(spelling, region).as_deref(),
                    Ok(expected),
                    "{region} {spelling:?}"
                );
            }
        }
    }

    #[test]
    fn an_extension_is_kept_apart_and_impossible_numbers_are_refused_with_the_form() {
        let phone = parse("0121 234 5655 x123", Some(Id::GB)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(phone.extension.as_deref(), Some("123"));
        let error = e164("12345", "GB").err().unwrap_or_default();
        assert!(
            error.contains("not a valid GB phone number") && error.contains("+44"),
            "{error}"
        );
        assert!(
            e164("07700 900123", "GB").is_ok(),
            "a possible number of a reserved range"
        );
        assert!(
            e164("555-0126", "US").is_err(),
            "seven digits cannot be a US number"
        );
        assert!(
            parse("07700 900123", None).is_err(),
            "a national number needs a region"
        );
        assert_eq!(regions_of("44").map(|r| r.0), Some(Id::GB));
        assert!(regions_of("+1")
            .is_some_and(|(main, others)| main == Id::US && others.iter().any(|r| r == "CA")));
        assert_eq!(regions_of("999"), None);
        assert_eq!(region("ca"), Some(Id::CA));
        assert_eq!(region("XX"), None);
    }

    #[test]
    fn a_number_of_another_country_keeps_its_digits_whatever_the_home_region() {
        for (region, spelling, expected) in [
            ("US", "+44 121 234 5655", "+441212345655"),
            ("CA", "011 44 121 234 5655", "+441212345655"),
            ("US", "+7 912 345 6789", "+79123456789"),
            ("GB", "+39 06 6982 1234", "+390669821234"),
            ("GB", "00 39 06 6982 1234", "+390669821234"),
            ("DE", "00 1 201-555-0126", "+12015550126"),
            ("US", "+44 0121 234 5655", "+441212345655"),
            ("US", "+49 (0)30 123457", "+4930123457"),
            ("FR", "+39 06 6982 1234", "+390669821234"),
            ("US", "(201) 555-0126", "+12015550126"),
        ] {
            assert_eq!(
                e164(spelling, region).as_deref(),
                Ok(expected),
                "{region} {spelling:?}"
            );
        }
    }

    #[test]
    fn numbers_show_nationally_at_home_and_internationally_abroad() {
        assert_eq!(
            for_display("+441212345655", Some("0121 234 5655 x123"), Some(Id::GB)),
            "0121 234 5655 ext. 123"
        );
        assert_eq!(
            for_display("+12015550126", None, Some(Id::GB)),
            "+1 201-555-0126"
        );
        assert_eq!(
            for_display("+12015550126", None, Some(Id::US)),
            "(201) 555-0126"
        );
        assert_eq!(
            for_display("not a number", None, Some(Id::US)),
            "not a number"
        );
        assert!(all_regions()
            .iter()
            .any(|(id, code)| id == "JE" && *code == 44));
    }
}
