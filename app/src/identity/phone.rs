//! Phone numbers through libphonenumber's metadata (the `phonenumber` crate): any way people
//! write a number (national or international format, a trunk 0 after the country code, `tel:`
//! links, no-break spaces, full-width digits, an extension) is read into E.164, the form it is
//! stored and found by. A national number is read in the organisation's region, the main
//! country of its calling code (+44 → GB, +1 → US). A number is accepted when its length is
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

/// The region whose national numbers calling code `code` reads (`44` → GB, `1` → US), when the
/// metadata knows the code.
pub fn region_of(code: &str) -> Option<Id> {
    let code: u16 = code.trim().trim_start_matches('+').parse().ok()?;
    let regions = phonenumber::metadata::DATABASE.region(&code)?;
    regions.first()?.parse().ok()
}

/// How national numbers are read with calling code `code`, for the settings screen: "as
/// numbers of GB (+44 is also used by GG, IM, JE)".
pub fn region_note(code: &str) -> String {
    let code = code.trim().trim_start_matches('+');
    let regions = code
        .parse::<u16>()
        .ok()
        .and_then(|c| phonenumber::metadata::DATABASE.region(&c))
        .unwrap_or_default();
    match regions.split_first() {
        None => format!("with no country: +{code} is no country's calling code"),
        Some((main, [])) => format!("as numbers of {main}"),
        Some((main, others)) => format!(
            "as numbers of {main} (+{code} is also used by {}; their numbers are read the same way)",
            others.join(", ")
        ),
    }
}

/// `input` read as a phone number in `region` (national numbers) or in any country (written
/// with `+` or an international prefix); what is wrong otherwise, with the form expected.
pub fn parse(input: &str, region: Option<Id>) -> Result<Phone, String> {
    let text = ascii_forms(input);
    let number = phonenumber::parse(region, &text).map_err(|_| expected(region))?;
    if !is_possible(&number) {
        return Err(expected(region));
    }
    Ok(Phone {
        e164: number.format().mode(Mode::E164).to_string(),
        extension: number.extension().map(|e| e.to_string()),
    })
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
        assert_eq!(region_of("44"), Some(Id::GB));
        assert_eq!(region_of("+1"), Some(Id::US));
        assert_eq!(region_of("999"), None);
    }
}
