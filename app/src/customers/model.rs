//! Customer types shared by the server and the browser.

use crate::identity::{mask_email, mask_phone};
use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// A customer status flag as configured by the organisation (name and colour).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusBadge {
    /// Stable id, e.g. `active`.
    pub id: String,
    /// What agents read, e.g. `Active`.
    pub name: String,
    /// CSS colour of the flag.
    pub colour: String,
}

/// Everything the profile header shows, on every tab of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerHeader {
    /// Customer id (UUID text).
    pub id: String,
    /// The name, or the best other identifier when there is no name.
    pub display_name: String,
    /// Current status flag.
    pub status: StatusBadge,
    /// Loyalty points balance (a projection of the points events).
    pub points_balance: i64,
    /// Current tier name, if the customer has one.
    pub tier: Option<String>,
    /// When the customer entered the current tier.
    pub tier_since: Option<EpochMillis>,
    /// When the customer joined the programme.
    pub member_since: EpochMillis,
    /// The most recent event of any kind.
    pub last_active_at: Option<EpochMillis>,
    /// Number of purchases, lifetime.
    pub purchase_count: i64,
    /// Purchases, spend and refunds per currency, the organisation's currency first.
    pub spend: Vec<crate::money::CurrencyTotal>,
    /// The organisation's currency (shown with its symbol; others with their code).
    pub home_currency: String,
    /// A test persona (kept out of reporting, marked in the UI).
    pub is_test: bool,
    /// When processing of the customer's data was restricted (GDPR art. 18), if it is.
    pub restricted_at: Option<EpochMillis>,
}

/// A customer's name, primary identifiers and address: the fields the Profile tab, Add
/// Customer, the seeder and the customers table share. Identifiers are in their stored form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Contact {
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Email address, case-folded.
    pub email: Option<String>,
    /// Phone number in E.164.
    pub phone: Option<String>,
    /// Loyalty card number, digits only.
    pub card_number: Option<String>,
    /// The id of this customer in the brand's other systems.
    pub external_id: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// Street address, one line.
    pub address_line: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// ISO 3166 alpha-2 country code.
    pub country: Option<String>,
}

impl Contact {
    /// Every field by its name, in form order.
    pub fn fields(&self) -> [(&'static str, &Option<String>); 11] {
        [
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("email", &self.email),
            ("phone", &self.phone),
            ("card_number", &self.card_number),
            ("external_id", &self.external_id),
            ("date_of_birth", &self.date_of_birth),
            ("address_line", &self.address_line),
            ("city", &self.city),
            ("postal_code", &self.postal_code),
            ("country", &self.country),
        ]
    }

    /// The primary identifiers by kind name (`email`, `phone`, `card_number`, `external_id`).
    pub fn primary_identifiers(&self) -> [(&'static str, &Option<String>); 4] {
        [
            ("email", &self.email),
            ("phone", &self.phone),
            ("card_number", &self.card_number),
            ("external_id", &self.external_id),
        ]
    }

    /// The primary identifiers by kind name with the keys they are held under: an external id
    /// folded as the organisation matches it ([`crate::identity::fold_external_id`]; the
    /// profile keeps it as entered), the others as stored.
    pub fn primary_keys(&self, ignore_case: bool) -> [(&'static str, Option<String>); 4] {
        self.primary_identifiers().map(|(kind, value)| {
            let key = value.as_deref().map(|value| match kind {
                "external_id" => crate::identity::fold_external_id(value, ignore_case),
                _ => value.to_string(),
            });
            (kind, key)
        })
    }

    /// The primary identifiers that differ from `before`'s as shown (a change of letter case
    /// included): (kind, the key held before, the key to hold now).
    pub fn changed_primaries(
        &self,
        before: &Contact,
        ignore_case: bool,
    ) -> Vec<(&'static str, Option<String>, Option<String>)> {
        let shown = before
            .primary_identifiers()
            .into_iter()
            .zip(self.primary_identifiers());
        let keys = before
            .primary_keys(ignore_case)
            .into_iter()
            .zip(self.primary_keys(ignore_case));
        shown
            .zip(keys)
            .filter(|(((_, old), (_, new)), _)| old != new)
            .map(|(_, ((kind, old_key), (_, new_key)))| (kind, old_key, new_key))
            .collect()
    }
}

/// The Profile tab: basic info, attributes and communication preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerProfile {
    /// Customer id (UUID text).
    pub id: String,
    /// Name, primary identifiers and address (flattened: the fields sit beside the others).
    #[serde(flatten)]
    pub contact: Contact,
    /// Name of the home store, if any.
    pub home_store: Option<String>,
    /// Custom profile attributes (set through the API or the profile edit), by label.
    pub attributes: Vec<crate::attributes::AttributeValue>,
    /// Marketing email opt-in.
    pub email_opt_in: bool,
    /// SMS opt-in.
    pub sms_opt_in: bool,
    /// Push notification opt-in.
    pub push_opt_in: bool,
    /// Whether the phone number has been verified by SMS.
    pub phone_verified: bool,
    /// Row version: an edit names the version it started from, so concurrent edits clash.
    pub version: i64,
}

impl CustomerProfile {
    /// The profile as a user without customers.view_pii sees it: email and phone partly
    /// hidden, date of birth and street address left out.
    pub fn masked(self) -> Self {
        Self {
            contact: Contact {
                email: self.contact.email.as_deref().map(mask_email),
                phone: self.contact.phone.as_deref().map(mask_phone),
                date_of_birth: None,
                address_line: None,
                postal_code: None,
                ..self.contact
            },
            ..self
        }
    }
}

/// "Given Family" from the parts present (trimmed); `None` when there is neither.
pub fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let name = [first, last]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Some(name).filter(|name| !name.is_empty())
}

/// A customer as written by the seeder (and later by Add Customer), projections included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCustomer {
    /// Customer id (UUID text).
    pub id: String,
    /// Name, primary identifiers and address (flattened: the fields sit beside the others).
    #[serde(flatten)]
    pub contact: Contact,
    /// Status type id.
    pub status_id: String,
    /// Test persona.
    pub is_test: bool,
    /// Marketing email opt-in.
    pub email_opt_in: bool,
    /// SMS opt-in.
    pub sms_opt_in: bool,
    /// Push opt-in.
    pub push_opt_in: bool,
    /// Phone verified by SMS.
    pub phone_verified: bool,
    /// Home store id.
    pub home_store_id: Option<String>,
    /// Points balance projection.
    pub points_balance: i64,
    /// Tier projection.
    pub tier: Option<String>,
    /// When the tier was entered.
    pub tier_since: Option<EpochMillis>,
    /// Purchase count projection.
    pub purchase_count: i64,
    /// Last event of any kind.
    pub last_active_at: Option<EpochMillis>,
    /// Joined the programme.
    pub created_at: EpochMillis,
}

impl NewCustomer {
    /// A customer joining now (`now`): a new id, no points, purchases, tier or activity yet,
    /// the phone not verified.
    pub fn joining(
        contact: Contact,
        status_id: String,
        is_test: bool,
        (email_opt_in, sms_opt_in, push_opt_in): (bool, bool, bool),
        now: EpochMillis,
    ) -> Self {
        Self {
            id: uuid::Uuid::now_v7().to_string(),
            contact,
            status_id,
            is_test,
            email_opt_in,
            sms_opt_in,
            push_opt_in,
            phone_verified: false,
            home_store_id: None,
            points_balance: 0,
            tier: None,
            tier_since: None,
            purchase_count: 0,
            last_active_at: None,
            created_at: now,
        }
    }
}

/// Folds a name for case- and accent-insensitive prefix search: `Zoë Ångström` → `zoe angstrom`.
pub fn search_key(name: &str) -> String {
    name.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .collect()
}

/// Maps the accented Latin letters common in customer names to their base letter.
fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ł' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::{full_name, search_key};

    #[test]
    fn full_names_join_the_parts_present() {
        assert_eq!(
            full_name(Some(" Ana "), Some("Díaz")).as_deref(),
            Some("Ana Díaz")
        );
        assert_eq!(full_name(None, Some("Díaz")).as_deref(), Some("Díaz"));
        assert_eq!(full_name(Some("  "), None), None);
    }

    #[test]
    fn search_key_folds_case_and_accents() {
        assert_eq!(search_key("  Zoë Ångström "), "zoe angstrom");
        assert_eq!(search_key("ŁUKASZ"), "lukasz");
        assert_eq!(search_key("O'Brien"), "o'brien");
    }
}
