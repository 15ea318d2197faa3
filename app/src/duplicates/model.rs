//! Likely duplicate customers: why two profiles look like one person.

use serde::{Deserialize, Serialize};

/// Why two customers look like the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Reason {
    /// The same email apart from dots or a `+suffix` in its local part.
    Email,
    /// The same last nine digits of a phone number: the number under another country code (the
    /// wrong country chosen), or stored with a national prefix before numbers were read by
    /// libphonenumber.
    Phone,
    /// The same name and date of birth.
    NameAndBirth,
    /// The same name and postcode.
    NameAndPostcode,
    /// Personal details match that the user may not see (without customers.view_pii, no
    /// reason names a masked field, so a hint cannot confirm a guessed birth date).
    HiddenDetails,
}

impl Reason {
    /// Every reason, in the order the duplicates list offers them.
    pub const ALL: [Reason; 4] = [
        Self::Email,
        Self::Phone,
        Self::NameAndBirth,
        Self::NameAndPostcode,
    ];

    /// The stable name, e.g. `name_and_birth`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::NameAndBirth => "name_and_birth",
            Self::NameAndPostcode => "name_and_postcode",
            Self::HiddenDetails => "hidden_details",
        }
    }

    /// The reason called `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The reason in words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Email => "Same email apart from dots or a +suffix",
            Self::Phone => "Same phone number apart from its prefix",
            Self::NameAndBirth => "Same name and date of birth",
            Self::NameAndPostcode => "Same name and postcode",
            Self::HiddenDetails => "Personal details match (ask someone who may see them)",
        }
    }
}

/// Another customer who may be the same person as the one shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The other customer.
    pub customer_id: String,
    /// Their name.
    pub name: String,
    /// Why, each with what matched (masked without customers.view_pii).
    pub reasons: Vec<(Reason, String)>,
    /// A test persona.
    pub is_test: bool,
}

/// Customers who share one match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateGroup {
    /// Why.
    pub reason: Reason,
    /// What they share (masked without customers.view_pii).
    pub shared: String,
    /// (id, name) of each, oldest id first.
    pub customers: Vec<(String, String)>,
}

/// One page of the organisation's likely duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicatePage {
    /// The groups on this page.
    pub groups: Vec<DuplicateGroup>,
    /// The cursor of the next page, if there is one.
    pub next: Option<String>,
}
