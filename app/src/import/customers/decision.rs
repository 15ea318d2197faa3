//! Step 3 of a customer row, once it is matched: what it comes to, a field group at a time —
//! the contact and opt-ins through Add Customer's validation, then the declared attributes;
//! a new customer, an update naming the fields that differ, or nothing to do.

use super::parse::{Cell, Parsed};
use super::values;
use super::Settings;
use crate::countries;
use crate::customers::new_customer::{validate, NewCustomerForm, ValidCustomer};
use crate::customers::{CustomerProfile, NewCustomer};
use crate::import::model::{RowProblem, IDENTIFIER_FIELDS};
use std::collections::BTreeMap;

/// What a row comes to.
pub(super) enum Decision {
    Create(Box<NewCustomer>, Vec<(String, String)>),
    Update(Box<Update>),
    Unchanged,
}

/// A change to a stored customer.
pub(super) struct Update {
    pub row: i64,
    pub before: CustomerProfile,
    pub valid: ValidCustomer,
    /// The identifiers as the file typed them, by kind.
    pub typed: BTreeMap<&'static str, String>,
    pub attributes: Vec<(String, Option<String>)>,
    pub is_test: Option<bool>,
    /// The fields that differ from `before`.
    pub changed: Vec<String>,
}

/// The decision for a matched row (`before` is the customer it finds, if any), with the
/// values left out of it; or, when its identifiers cannot be used, its problems.
pub(super) fn decision(
    row: &Parsed,
    settings: &Settings,
    before: Option<CustomerProfile>,
    now: i64,
) -> Result<(Decision, Vec<RowProblem>), Vec<RowProblem>> {
    let mut left_out = Vec::new();
    let mut form = form_of(row, settings, before.as_ref(), &mut left_out);
    let valid = valid_contact(row, settings, &mut form, before.as_ref(), &mut left_out)?;
    let mut attributes = attributes_of(row, settings, &mut left_out);
    let Some(before) = before else {
        return Ok((create(valid, attributes, settings, now), left_out));
    };
    let is_test = row.fields.get("is_test").map(|_| form.is_test.is_some());
    let mut changed = changed_contact(&before, &valid);
    attributes.retain(|(name, value)| {
        let old = before.attributes.iter().find(|a| a.name == *name);
        old.map(|a| &a.value) != value.as_ref()
    });
    changed.extend(attributes.iter().map(|(name, _)| name.clone()));
    if changed.is_empty() && is_test.is_none() {
        return Ok((Decision::Unchanged, left_out));
    }
    let typed = ["email", "phone", "card_number", "external_id"]
        .into_iter()
        .map(|kind| (kind, row.text(kind, None)))
        .collect();
    let update = Update {
        row: row.row,
        before,
        valid,
        typed,
        attributes,
        is_test,
        changed,
    };
    Ok((Decision::Update(Box::new(update)), left_out))
}

/// The stored value of contact field `name` (empty for a new customer).
fn stored(before: Option<&CustomerProfile>, name: &str) -> String {
    before
        .and_then(|b| {
            b.contact
                .fields()
                .into_iter()
                .find(|(n, _)| *n == name)?
                .1
                .clone()
        })
        .unwrap_or_default()
}

/// Add Customer's form as the row fills it on top of the stored profile: countries by name
/// or code, dates in the file's format and order, consent in the exports' words. A value that
/// cannot be read is left out (the stored one stays) and noted in `left_out`.
fn form_of(
    row: &Parsed,
    settings: &Settings,
    before: Option<&CustomerProfile>,
    left_out: &mut Vec<RowProblem>,
) -> NewCustomerForm {
    let mut field = |name: &str| {
        let Some(Cell {
            value: Some(text),
            column,
        }) = row.fields.get(name)
        else {
            return row.text(name, Some(&stored(before, name)));
        };
        let read = match name {
            "country" => countries::alpha2_of(text)
                .ok_or_else(|| "is not a country this console knows".to_string()),
            "date_of_birth" => values::date(text, settings.date_order),
            _ => Ok(text.clone()),
        };
        read.unwrap_or_else(|message| {
            left_out.push(RowProblem::left_out(row.row, column.clone(), message));
            stored(before, name)
        })
    };
    let mut form = NewCustomerForm {
        first_name: field("first_name"),
        last_name: field("last_name"),
        email: field("email"),
        phone: field("phone"),
        card_number: field("card_number"),
        external_id: field("external_id"),
        date_of_birth: field("date_of_birth"),
        address_line: field("address_line"),
        city: field("city"),
        postal_code: field("postal_code"),
        country: field("country"),
        ..NewCustomerForm::default()
    };
    let opted = |pick: fn(&CustomerProfile) -> bool| before.is_some_and(pick);
    let mut flag = |name: &str, stored: bool| flag_of(row, name, stored, left_out);
    form.email_opt_in = flag("email_opt_in", opted(|b| b.email_opt_in));
    form.sms_opt_in = flag("sms_opt_in", opted(|b| b.sms_opt_in));
    form.push_opt_in = flag("push_opt_in", opted(|b| b.push_opt_in));
    form.is_test = flag("is_test", false);
    form
}

/// A yes/no field as the form takes it (`Some("on")` for yes); a word that is neither is left
/// out and the stored value kept.
fn flag_of(
    row: &Parsed,
    name: &str,
    stored: bool,
    left_out: &mut Vec<RowProblem>,
) -> Option<String> {
    let value = match row.fields.get(name) {
        None => stored,
        Some(Cell { value: None, .. }) => false,
        Some(Cell {
            value: Some(text),
            column,
        }) => values::consent(text).unwrap_or_else(|| {
            let message = "is not yes or no (nor a consent word this console knows)";
            left_out.push(RowProblem::left_out(row.row, column.clone(), message));
            stored
        }),
    };
    value.then(|| "on".to_string())
}

/// The form through Add Customer's validation. A problem with an identifier refuses the row
/// (each at the column that filled it); a problem with any other field leaves that value out
/// (the stored one stays) and the form is checked again.
fn valid_contact(
    row: &Parsed,
    settings: &Settings,
    form: &mut NewCustomerForm,
    before: Option<&CustomerProfile>,
    left_out: &mut Vec<RowProblem>,
) -> Result<ValidCustomer, Vec<RowProblem>> {
    let at_column =
        |(field, message): (&str, String)| RowProblem::new(row.row, row.column_of(field), message);
    let valid = match validate(form, &settings.region, settings.today) {
        Ok(valid) => valid,
        Err(errors)
            if errors
                .iter()
                .any(|(field, _)| IDENTIFIER_FIELDS.contains(field)) =>
        {
            return Err(errors.into_iter().map(at_column).collect())
        }
        Err(errors) => {
            for (field, message) in errors {
                if let Some(value) = form.field_mut(field) {
                    *value = stored(before, field);
                }
                left_out.push(RowProblem::left_out(row.row, row.column_of(field), message));
            }
            validate(form, &settings.region, settings.today)
                .map_err(|errors| errors.into_iter().map(at_column).collect::<Vec<_>>())?
        }
    };
    Ok(valid)
}

/// The row's declared attributes, each checked against its type (`None`: cleared); a value
/// that does not fit its type is left out.
fn attributes_of(
    row: &Parsed,
    settings: &Settings,
    left_out: &mut Vec<RowProblem>,
) -> Vec<(String, Option<String>)> {
    let mut attributes = Vec::new();
    for (target, cell) in &row.fields {
        let Some(name) = target.strip_prefix("attribute:") else {
            continue;
        };
        let input = cell.value.as_deref().unwrap_or_default();
        let column = &cell.column;
        match crate::attributes::checked_input(&settings.declared, name, input, column, column) {
            Ok(value) => attributes.push((name.to_string(), value)),
            Err(error) => left_out.push(RowProblem::left_out(
                row.row,
                column.clone(),
                error.to_string(),
            )),
        }
    }
    attributes
}

/// A new customer: active when their history says so (an events import), not when imported.
fn create(
    valid: ValidCustomer,
    attributes: Vec<(String, Option<String>)>,
    settings: &Settings,
    now: i64,
) -> Decision {
    let customer = NewCustomer::joining(
        valid.contact,
        settings.default_status.clone(),
        valid.is_test,
        valid.opt_ins,
        now,
    );
    let attributes = attributes
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .collect();
    Decision::Create(Box::new(customer), attributes)
}

/// The contact fields and opt-ins that differ from the stored profile, by name.
fn changed_contact(before: &CustomerProfile, valid: &ValidCustomer) -> Vec<String> {
    let fields = before
        .contact
        .fields()
        .into_iter()
        .zip(valid.contact.fields());
    let opt_ins = [
        ("email_opt_in", before.email_opt_in, valid.opt_ins.0),
        ("sms_opt_in", before.sms_opt_in, valid.opt_ins.1),
        ("push_opt_in", before.push_opt_in, valid.opt_ins.2),
    ];
    let changed_fields = fields
        .filter(|((_, old), (_, new))| old != new)
        .map(|((name, _), _)| name);
    let changed_opt_ins = opt_ins
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(name, ..)| name);
    changed_fields
        .chain(changed_opt_ins)
        .map(String::from)
        .collect()
}
