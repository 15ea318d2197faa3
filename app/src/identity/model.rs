//! Customer identifiers: recognising which one a person typed, and normalising it the way it
//! is stored.

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// The identifiers a customer can be found by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdentifierKind {
    /// Email address, case-folded.
    Email,
    /// Phone number in E.164.
    Phone,
    /// Loyalty card number, digits only.
    Card,
    /// The brand's own id for the customer.
    ExternalId,
    /// Our customer id (UUID).
    CustomerId,
}

impl IdentifierKind {
    /// How the identifier is named in messages: `phone number`.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Email => "email address",
            Self::Phone => "phone number",
            Self::Card => "loyalty card number",
            Self::ExternalId => "external id",
            Self::CustomerId => "customer id",
        }
    }
}

impl IdentifierKind {
    /// The kinds a customer can hold (every kind but our own id), in display order.
    pub const HELD: [Self; 4] = [Self::Email, Self::Phone, Self::Card, Self::ExternalId];

    /// The kind called `name` (see [`IdentifierKind::name`]), if a customer can hold it.
    pub fn held(name: &str) -> Option<Self> {
        Self::HELD.into_iter().find(|kind| kind.name() == name)
    }

    /// The kind's name in forms, the API and the database: `card_number`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Card => "card_number",
            Self::ExternalId => "external_id",
            Self::CustomerId => "id",
        }
    }

    /// How it is labelled on screen: `Loyalty card`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Email => "Email",
            Self::Phone => "Phone",
            Self::Card => "Loyalty card",
            Self::ExternalId => "External id",
            Self::CustomerId => "Customer id",
        }
    }

    /// `input` in the form it is stored and found by, `None` when blank; otherwise what is
    /// wrong with it. The one check for Add Customer, profile edit and the identifier list.
    pub fn normalise(self, input: &str, region: &str) -> Result<Option<String>, String> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(
                "Remove the control characters (a tab, line break or invisible \
                        character) from this value."
                    .into(),
            );
        }
        let value = match self {
            Self::Email => {
                email_key(trimmed).ok_or("Enter an email address like name@example.com.")?
            }
            Self::Phone => phone_checked(trimmed, region)?,
            Self::Card => Some(trimmed.replace([' ', '-'], ""))
                .filter(|c| (8..=19).contains(&c.len()) && c.chars().all(|d| d.is_ascii_digit()))
                .ok_or("A card number has 8 to 19 digits.")?,
            Self::ExternalId => Some(trimmed.to_string())
                .filter(|e| e.chars().count() <= 64)
                .ok_or("Use at most 64 characters.")?,
            Self::CustomerId => uuid::Uuid::parse_str(trimmed)
                .map(|id| id.hyphenated().to_string())
                .map_err(|_| "Enter a customer id.")?,
        };
        Ok(Some(value))
    }
}

/// External ids that differ only in letter case: while any exist, they cannot be made to
/// match whatever their case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseClash {
    /// Each holder: (customer id, name, the id as entered).
    pub holders: Vec<(String, String, String)>,
}

#[cfg(feature = "ssr")]
impl CaseClash {
    /// "CASE-A1 (Ida Upper) and case-a1 (Ida Lower)".
    pub fn describe(&self) -> String {
        let each: Vec<String> = self
            .holders
            .iter()
            .map(|(_, name, spelling)| format!("{spelling} ({name})"))
            .collect();
        crate::words::and_list(&each)
    }
}

/// One identifier a customer holds, as the Profile tab lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldIdentifier {
    /// Which kind.
    pub kind: IdentifierKind,
    /// The stored (normalised) value, a phone in its national or international format;
    /// email and phone partly hidden without
    /// customers.view_pii.
    pub shown: String,
    /// The stored value, to name it in remove / make primary; `None` when masked.
    pub key: Option<String>,
    /// The customer's primary identifier of its kind (copied to the profile's own fields).
    pub is_primary: bool,
    /// When it was added (epoch milliseconds).
    pub added_at: i64,
    /// `console`, `ingest`, `import` or `migration`.
    pub source: String,
}

/// A normalised identifier value of a known kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifier {
    /// Which identifier.
    pub kind: IdentifierKind,
    /// The value as stored.
    pub value: String,
}

/// The identifiers `input` may be, most likely first; national phone numbers get
/// `region`. Errors when it is blank.
pub fn identifier_candidates(input: &str, region: &str) -> Result<Vec<Identifier>, AppError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(AppError::validation(
            "q",
            "Type a phone number, loyalty card number, email address or customer id.",
        ));
    }
    let id = |kind, value: String| Identifier { kind, value };
    if trimmed.contains('@') {
        let email = email_key(trimmed).unwrap_or_else(|| trimmed.to_lowercase());
        return Ok(vec![id(IdentifierKind::Email, email)]);
    }
    if let Ok(uuid) = uuid::Uuid::parse_str(trimmed) {
        return Ok(vec![id(
            IdentifierKind::CustomerId,
            uuid.hyphenated().to_string(),
        )]);
    }
    let compact: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let digits = compact.trim_start_matches('+');
    let all_digits = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
    let mut candidates = Vec::new();
    if looks_like_a_phone(trimmed) {
        if let Some(phone) = phone_e164(trimmed, region) {
            candidates.push(id(IdentifierKind::Phone, phone));
        }
    }
    if all_digits && !compact.starts_with('+') {
        candidates.push(id(IdentifierKind::Card, compact.clone()));
    }
    candidates.push(id(IdentifierKind::ExternalId, trimmed.to_string()));
    Ok(candidates)
}

/// The form an email address is stored and found by, `None` when `input` is not one. What
/// surrounds the address goes (`"Ann" <ann@example.com>`, `mailto:ann@example.com?subject=…`,
/// spaces); the whole address is lower-cased (local parts included, as the console always has:
/// no brand's customers tell `Ann@` from `ann@`); an internationalised domain is one domain
/// however it is written (`bücher.de`, `BÜCHER.de`, `xn--bcher-kva.de`), kept in its Unicode
/// form (IDNA/UTS 46, the `idna` crate) on the server.
pub fn email_key(input: &str) -> Option<String> {
    let mut text = input.trim();
    if let (Some(open), Some(close)) = (text.rfind('<'), text.rfind('>')) {
        if open < close {
            text = text[open + 1..close].trim();
        }
    }
    if text
        .get(..7)
        .is_some_and(|head| head.eq_ignore_ascii_case("mailto:"))
    {
        text = text[7..].split('?').next().unwrap_or_default().trim();
    }
    let (local, domain) = text.rsplit_once('@')?;
    let email = format!("{}@{}", local.to_lowercase(), canonical_domain(domain)?);
    crate::users::model::is_plausible_email(&email).then_some(email)
}

/// `domain` in one form however it is written: UTS 46 mapped (lower case, width and
/// compatibility forms folded), punycode decoded.
#[cfg(feature = "ssr")]
fn canonical_domain(domain: &str) -> Option<String> {
    let ascii = idna::domain_to_ascii(domain).ok()?;
    let (unicode, result) = idna::domain_to_unicode(&ascii);
    result.ok().map(|()| unicode)
}

/// In the browser, lower case only (the server folds internationalised domains).
#[cfg(not(feature = "ssr"))]
fn canonical_domain(domain: &str) -> Option<String> {
    Some(domain.to_lowercase())
}

/// Whether `input` is written like a phone number: no letters but a `tel:` before it or an
/// extension after it (`x123`, `ext. 123`), so an external id such as `CRM-0031` is not read
/// as a vanity number.
fn looks_like_a_phone(input: &str) -> bool {
    let lower = input.to_lowercase();
    let number = lower.strip_prefix("tel:").unwrap_or(&lower);
    let number = number.split("ext").next().unwrap_or(number);
    let number = number.split(['x', '#']).next().unwrap_or(number);
    !number.chars().any(char::is_alphabetic)
}

/// `+44 7700 900123` or `07700 900123` (in region `GB`) → `+447700900123`; `None` when it
/// cannot be a phone number. On the server through libphonenumber's metadata
/// ([`super::phone`]): every spelling it reads, national numbers in `region` (empty: only
/// international numbers).
#[cfg(feature = "ssr")]
pub fn phone_e164(input: &str, region: &str) -> Option<String> {
    phone_checked(input, region).ok()
}

/// [`phone_e164`], or what is wrong with the number and the form expected.
#[cfg(feature = "ssr")]
pub fn phone_checked(input: &str, region: &str) -> Result<String, String> {
    super::phone::parse(input, super::phone::region(region)).map(|p| p.e164)
}

/// In the browser, a first check before the server's ([`phone_e164`]: enough digits).
#[cfg(not(feature = "ssr"))]
pub fn phone_checked(input: &str, region: &str) -> Result<String, String> {
    phone_e164(input, region)
        .ok_or_else(|| "Enter a phone number, e.g. 07400 123456 or +44 7400 123456.".into())
}

/// The browser's first look at a phone number: enough digits to be one. The server reads it
/// with libphonenumber and answers at the field when it cannot be a number.
#[cfg(not(feature = "ssr"))]
pub fn phone_e164(input: &str, _region: &str) -> Option<String> {
    let digits = input
        .chars()
        .filter(|c| c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(c))
        .count();
    (6..=20).contains(&digits).then(|| input.trim().to_string())
}

/// The form of a stored identifier that finds likely duplicates (the same in the migration
/// that filled it in): an email without dots or a `+suffix` in its local part
/// (`Jane.Doe+shop@x.com` and `janedoe@x.com` meet), the last nine characters of a phone
/// number (`+447700900123` and `+4407700900123`, written with the national prefix, meet).
/// `None` for other kinds.
#[cfg(feature = "ssr")]
pub fn match_key(kind: &str, normalized: &str) -> Option<String> {
    match kind {
        "email" => {
            let (local, domain) = normalized.split_once('@')?;
            let local = local.split_once('+').map_or(local, |(base, _)| base);
            Some(format!("{}@{domain}", local.replace('.', "")))
        }
        "phone" => {
            let skip = normalized.chars().count().saturating_sub(9);
            Some(normalized.chars().skip(skip).collect())
        }
        _ => None,
    }
}

/// An external id as stored and looked up: as typed (trimmed), or with its letters A–Z in
/// lower case when the organisation ignores their case (`CRM-0001` → `crm-0001`). ASCII only,
/// like the databases' own folding the settings change uses.
pub fn fold_external_id(value: &str, ignore_case: bool) -> String {
    if ignore_case {
        value.trim().to_ascii_lowercase()
    } else {
        value.trim().to_string()
    }
}

/// `jane.doe@example.com` → `j•••@example.com`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".into(),
    }
}

/// `+447700900123` → `•••• 0123`.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let last: String = digits[digits.len().saturating_sub(4)..].iter().collect();
    format!("•••• {last}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "ssr")]
    fn match_keys_meet_for_dotted_plus_and_prefixed_forms() {
        assert_eq!(
            match_key("email", "jane.doe+shop@example.com").as_deref(),
            Some("janedoe@example.com")
        );
        assert_eq!(
            match_key("email", "janedoe@example.com"),
            match_key("email", "j.a.n.e.doe@example.com")
        );
        assert_ne!(
            match_key("email", "janedoe@example.com"),
            match_key("email", "janedoe@example.org")
        );
        assert_eq!(
            match_key("phone", "+447700900123").as_deref(),
            Some("700900123")
        );
        assert_eq!(
            match_key("phone", "+4407700900123"),
            match_key("phone", "+447700900123")
        );
        assert_eq!(match_key("card_number", "12345678"), None);
    }

    fn kinds(input: &str) -> Vec<(IdentifierKind, String)> {
        identifier_candidates(input, "GB")
            .unwrap_or_default()
            .into_iter()
            .map(|i| (i.kind, i.value))
            .collect()
    }

    #[test]
    fn email_is_trimmed_and_case_folded() {
        assert_eq!(
            kinds("  Anna.Smith@Example.COM "),
            vec![(IdentifierKind::Email, "anna.smith@example.com".into())]
        );
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn emails_as_agents_paste_them_and_internationalised_domains_are_one_address() {
        for written in [
            "ann@bücher.de",
            "ann@xn--bcher-kva.de",
            "  \"Ann Example\" <Ann@BÜCHER.de> ",
            "mailto:ann@bücher.de?subject=Order",
            "MAILTO:ANN@XN--BCHER-KVA.DE",
        ] {
            assert_eq!(
                email_key(written).as_deref(),
                Some("ann@bücher.de"),
                "{written}"
            );
        }
        assert_eq!(
            email_key("Jane.Doe@Example.COM").as_deref(),
            Some("jane.doe@example.com")
        );
        assert_eq!(email_key("ann at example.com"), None);
        assert_eq!(email_key("<>"), None);
        assert_eq!(email_key("ü@bücher.de").as_deref(), Some("ü@bücher.de"));
    }

    #[test]
    fn national_phone_gets_the_default_country_code() {
        let found = kinds("07700 900-123");
        assert_eq!(found[0], (IdentifierKind::Phone, "+447700900123".into()));
    }

    #[test]
    fn the_trunk_zero_written_after_the_country_code_is_dropped() {
        for written in [
            "+44 (0)7700 900123",
            "0044 (0)7700-900123",
            "+44(0)7700900123",
        ] {
            assert_eq!(
                kinds(written)[0],
                (IdentifierKind::Phone, "+447700900123".into()),
                "{written}"
            );
        }
        assert_eq!(
            phone_e164("(020) 7946 0018", "GB").as_deref(),
            Some("+442079460018")
        );
    }

    #[test]
    fn card_numbers_lose_spaces_and_dashes() {
        let found = kinds("6012 3456-7890 1234");
        assert!(found.contains(&(IdentifierKind::Card, "6012345678901234".into())));
    }

    #[test]
    fn uuid_is_a_customer_id() {
        let found = kinds("0190A0C6-8A4B-7C3D-9E8F-0123456789AB");
        assert_eq!(
            found,
            vec![(
                IdentifierKind::CustomerId,
                "0190a0c6-8a4b-7c3d-9e8f-0123456789ab".into()
            )]
        );
    }

    #[test]
    fn blank_input_is_refused_at_the_search_field() {
        let error = identifier_candidates("   ", "GB").err();
        assert!(matches!(error, Some(AppError::Validation { field, .. }) if field == "q"));
    }
}
