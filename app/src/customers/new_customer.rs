//! Add Customer: the form's fields and the validation shared by the browser (before sending)
//! and the server (before writing): the same Rust code on both sides.

use super::model::Contact;
use crate::identity::IdentifierKind;
use serde::{Deserialize, Serialize};

/// The Add Customer form as typed. Checkboxes are `Some("on")` when ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCustomerForm {
    /// Given name.
    #[serde(default)]
    pub first_name: String,
    /// Family name.
    #[serde(default)]
    pub last_name: String,
    /// Email address.
    #[serde(default)]
    pub email: String,
    /// Phone number, national or international.
    #[serde(default)]
    pub phone: String,
    /// Loyalty card number.
    #[serde(default)]
    pub card_number: String,
    /// The brand's own id.
    #[serde(default)]
    pub external_id: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub date_of_birth: String,
    /// Street address.
    #[serde(default)]
    pub address_line: String,
    /// City.
    #[serde(default)]
    pub city: String,
    /// Postal code.
    #[serde(default)]
    pub postal_code: String,
    /// ISO country code, two letters.
    #[serde(default)]
    pub country: String,
    /// Status type id.
    #[serde(default)]
    pub status_id: String,
    /// Marketing email opt-in.
    pub email_opt_in: Option<String>,
    /// SMS opt-in.
    pub sms_opt_in: Option<String>,
    /// Push opt-in.
    pub push_opt_in: Option<String>,
    /// A test persona, kept out of reporting.
    pub is_test: Option<String>,
}

impl NewCustomerForm {
    /// The text field named `name` (as validation names it), to change.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "first_name" => &mut self.first_name,
            "last_name" => &mut self.last_name,
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            "card_number" => &mut self.card_number,
            "external_id" => &mut self.external_id,
            "date_of_birth" => &mut self.date_of_birth,
            "address_line" => &mut self.address_line,
            "city" => &mut self.city,
            "postal_code" => &mut self.postal_code,
            "country" => &mut self.country,
            "status_id" => &mut self.status_id,
            _ => return None,
        })
    }
}

/// A form that passed validation, in stored form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCustomer {
    /// Name, identifiers (normalised) and address (postal code and country upper case).
    pub contact: Contact,
    /// Status type id (empty: the default status).
    pub status_id: String,
    /// Opt-ins: email, SMS, push.
    pub opt_ins: (bool, bool, bool),
    /// Test persona.
    pub is_test: bool,
}

/// One problem with one field.
pub type FieldError = (&'static str, String);

/// Checks the form; returns every problem, each with its field, or the stored form.
pub fn validate(
    form: &NewCustomerForm,
    region: &str,
    today: chrono::NaiveDate,
) -> Result<ValidCustomer, Vec<FieldError>> {
    let mut errors: Vec<FieldError> = Vec::new();
    let text = |value: &str| Some(value.trim().to_string()).filter(|v| !v.is_empty());
    let first_name = text(&form.first_name);
    let last_name = text(&form.last_name);
    for (field, value) in [("first_name", &first_name), ("last_name", &last_name)] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 80) {
            errors.push((field, "Use at most 80 characters.".into()));
        }
    }
    let mut identifier = |kind: IdentifierKind, input: &str| {
        kind.normalise(input, region).unwrap_or_else(|message| {
            errors.push((kind.name(), message));
            None
        })
    };
    let email = identifier(IdentifierKind::Email, &form.email);
    let phone = identifier(IdentifierKind::Phone, &form.phone);
    let card_number = identifier(IdentifierKind::Card, &form.card_number);
    let external_id = identifier(IdentifierKind::ExternalId, &form.external_id);
    let typed = [
        &form.email,
        &form.phone,
        &form.card_number,
        &form.external_id,
    ];
    if typed.iter().all(|value| value.trim().is_empty()) {
        errors.push((
            "email",
            "Give at least one of email, phone, card number or external id, so the customer can be found.".into(),
        ));
    }
    let date_of_birth = text(&form.date_of_birth);
    if let Some(dob) = &date_of_birth {
        match chrono::NaiveDate::parse_from_str(dob, "%Y-%m-%d") {
            Ok(date) if date > today => errors.push((
                "date_of_birth",
                "The date of birth is in the future.".into(),
            )),
            Ok(date) if today.years_since(date).unwrap_or(0) > 120 => {
                errors.push(("date_of_birth", "That is more than 120 years ago.".into()))
            }
            Ok(_) => {}
            Err(_) => errors.push(("date_of_birth", "Enter the date as YYYY-MM-DD.".into())),
        }
    }
    let country = text(&form.country).map(|c| c.to_uppercase());
    if country
        .as_deref()
        .is_some_and(|c| c.len() != 2 || !c.chars().all(|l| l.is_ascii_alphabetic()))
    {
        errors.push((
            "country",
            "Use the two-letter country code, e.g. GB or IE.".into(),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidCustomer {
        contact: Contact {
            first_name,
            last_name,
            email,
            phone,
            card_number,
            external_id,
            date_of_birth,
            address_line: text(&form.address_line),
            city: text(&form.city),
            postal_code: text(&form.postal_code).map(|p| p.to_uppercase()),
            country,
        },
        status_id: form.status_id.trim().to_string(),
        opt_ins: (
            form.email_opt_in.is_some(),
            form.sms_opt_in.is_some(),
            form.push_opt_in.is_some(),
        ),
        is_test: form.is_test.is_some(),
    })
}

/// [`validate`] as the browser runs it before sending Add Customer or a profile edit: with the
/// default calling code (the server checks national numbers again with the organisation's)
/// and today's date.
pub fn check_in_browser(form: &NewCustomerForm) -> Result<(), Vec<FieldError>> {
    let today = chrono::Utc::now().date_naive();
    validate(form, crate::settings::model::DEFAULT_PHONE_REGION, today).map(|_| ())
}

/// The first problem of a failed [`validate`], as the error the server answers with.
#[cfg(feature = "ssr")]
pub fn first_error(errors: Vec<FieldError>) -> crate::error::AppError {
    let (field, message) = errors.into_iter().next().unwrap_or_default();
    crate::error::AppError::validation(field, message)
}

/// What Add Customer did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreateOutcome {
    /// Created; the new customer's id.
    Created(String),
    /// An identifier belongs to another customer.
    Duplicate {
        /// The form field.
        field: String,
        /// What to tell the agent.
        message: String,
        /// The other customer, for agents who may open profiles.
        existing_id: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
    }

    #[test]
    fn a_valid_form_is_normalised() {
        let form = NewCustomerForm {
            first_name: " Ana ".into(),
            email: "Ana@Example.com".into(),
            phone: "07700 900123".into(),
            card_number: "6339 0000 1111 2222".into(),
            country: "gb".into(),
            is_test: Some("on".into()),
            ..Default::default()
        };
        let valid = validate(&form, "GB", today()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(valid.contact.email.as_deref(), Some("ana@example.com"));
        assert_eq!(valid.contact.phone.as_deref(), Some("+447700900123"));
        assert_eq!(
            valid.contact.card_number.as_deref(),
            Some("6339000011112222")
        );
        assert_eq!(valid.contact.country.as_deref(), Some("GB"));
        assert!(valid.is_test);
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let form = NewCustomerForm {
            email: "ana@".into(),
            phone: "call me".into(),
            date_of_birth: "2030-01-01".into(),
            ..Default::default()
        };
        let errors = validate(&form, "GB", today()).err().unwrap_or_default();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["email", "phone", "date_of_birth"]);
    }

    #[test]
    fn a_customer_needs_an_identifier() {
        let form = NewCustomerForm {
            first_name: "Ana".into(),
            ..Default::default()
        };
        let errors = validate(&form, "GB", today()).err().unwrap_or_default();
        assert!(errors[0].1.contains("at least one"));
    }
}
