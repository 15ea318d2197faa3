//! Step 3 of a customer row, once it is matched: what it comes to, a field group at a time —
//! the contact and opt-ins through Add Customer's validation, then the declared attributes;
//! a new customer, an update naming the fields that differ, or nothing to do.

use super::parse::{yes_no, Cell, Parsed};
use super::Settings;
use crate::customers::new_customer::{validate, NewCustomerForm, ValidCustomer};
use crate::customers::{CustomerProfile, NewCustomer};
use crate::import::model::RowProblem;
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

/// The decision for a matched row (`before` is the customer it finds, if any).
pub(super) fn decision(
    row: &Parsed,
    settings: &Settings,
    before: Option<CustomerProfile>,
    now: i64,
) -> Result<Decision, Vec<RowProblem>> {
    let (form, mut problems) = form_of(row, before.as_ref());
    let valid = valid_contact(row, settings, &form);
    let attributes = attributes_of(row, settings);
    let (valid, mut attributes) = match (valid, attributes) {
        (Ok(valid), Ok(attributes)) if problems.is_empty() => (valid, attributes),
        (valid, attributes) => {
            problems.extend(valid.err().unwrap_or_default());
            problems.extend(attributes.err().unwrap_or_default());
            return Err(problems);
        }
    };
    let Some(before) = before else {
        return Ok(create(valid, attributes, settings, now));
    };
    let is_test = row.fields.get("is_test").map(|_| form.is_test.is_some());
    let mut changed = changed_contact(&before, &valid);
    attributes.retain(|(name, value)| {
        let old = before.attributes.iter().find(|a| a.name == *name);
        old.map(|a| &a.value) != value.as_ref()
    });
    changed.extend(attributes.iter().map(|(name, _)| name.clone()));
    if changed.is_empty() && is_test.is_none() {
        return Ok(Decision::Unchanged);
    }
    let typed = ["email", "phone", "card_number", "external_id"]
        .into_iter()
        .map(|kind| (kind, row.text(kind, None)))
        .collect();
    Ok(Decision::Update(Box::new(Update {
        row: row.row,
        before,
        valid,
        typed,
        attributes,
        is_test,
        changed,
    })))
}

/// Add Customer's form as the row fills it on top of the stored profile; a flag that is not
/// yes or no is a problem (and keeps its stored value).
fn form_of(row: &Parsed, before: Option<&CustomerProfile>) -> (NewCustomerForm, Vec<RowProblem>) {
    let mut problems = Vec::new();
    let stored = |name: &str| {
        let contact = before.map(|b| &b.contact)?;
        contact
            .fields()
            .into_iter()
            .find(|(n, _)| *n == name)?
            .1
            .clone()
    };
    let field = |name: &str| row.text(name, stored(name).as_ref());
    let mut flag = |name: &str, stored: bool| -> Option<String> {
        let value = match row.fields.get(name) {
            None => stored,
            Some(Cell { value: None, .. }) => false,
            Some(Cell {
                value: Some(text),
                column,
            }) => yes_no(text).unwrap_or_else(|| {
                problems.push(RowProblem::new(
                    row.row,
                    column.clone(),
                    "must be yes or no",
                ));
                stored
            }),
        };
        value.then(|| "on".to_string())
    };
    let opted = |pick: fn(&CustomerProfile) -> bool| before.is_some_and(pick);
    let form = NewCustomerForm {
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
        status_id: String::new(),
        email_opt_in: flag("email_opt_in", opted(|b| b.email_opt_in)),
        sms_opt_in: flag("sms_opt_in", opted(|b| b.sms_opt_in)),
        push_opt_in: flag("push_opt_in", opted(|b| b.push_opt_in)),
        is_test: flag("is_test", false),
    };
    (form, problems)
}

/// The form through Add Customer's validation, each problem at the column that filled it.
fn valid_contact(
    row: &Parsed,
    settings: &Settings,
    form: &NewCustomerForm,
) -> Result<ValidCustomer, Vec<RowProblem>> {
    let mut valid = validate(form, &settings.region, settings.today).map_err(|errors| {
        let at_column = |(field, message)| RowProblem::new(row.row, row.column_of(field), message);
        errors.into_iter().map(at_column).collect::<Vec<_>>()
    })?;
    if let Some(id) = &mut valid.contact.external_id {
        *id = crate::identity::fold_external_id(id, settings.ignore_case);
    }
    Ok(valid)
}

/// The row's declared attributes, each checked against its type (`None`: cleared).
fn attributes_of(
    row: &Parsed,
    settings: &Settings,
) -> Result<Vec<(String, Option<String>)>, Vec<RowProblem>> {
    let mut attributes = Vec::new();
    let mut problems = Vec::new();
    for (target, cell) in &row.fields {
        let Some(name) = target.strip_prefix("attribute:") else {
            continue;
        };
        let input = cell.value.as_deref().unwrap_or_default();
        let column = &cell.column;
        match crate::attributes::checked_input(&settings.declared, name, input, column, column) {
            Ok(value) => attributes.push((name.to_string(), value)),
            Err(error) => {
                problems.push(RowProblem::new(row.row, column.clone(), error.to_string()))
            }
        }
    }
    if problems.is_empty() {
        Ok(attributes)
    } else {
        Err(problems)
    }
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
