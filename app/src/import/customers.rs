//! Customers from a file, a batch at a time: each row read into Add Customer's form (on top of
//! the stored profile when an identifier finds one), checked by the same validation, then
//! created, updated, or left alone when nothing differs. A row whose identifiers point at two
//! customers, or that repeats an identifier of an earlier row, is refused at that column;
//! nothing of a refused row is written, and its neighbours go in regardless.

use super::columns;
use super::db::Progress;
use super::model::{ColumnMapping, Mapping, RowProblem, IGNORE};
use super::reader::{Cells, Row};
use crate::attributes::AttributeType;
use crate::change::Tx;
use crate::customers::new_customer::{validate, NewCustomerForm, ValidCustomer};
use crate::customers::{CustomerProfile, NewCustomer};
use crate::events::NewEvent;
use crate::identity::IdentifierKind;
use serde_json::{json, Value};
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// What stays the same for every batch of one run.
pub struct Settings {
    /// The file's columns and what each fills (CSV), or the known keys (NDJSON, grown as
    /// lines name new ones).
    pub columns: Vec<(String, ColumnMapping)>,
    /// The saved mapping, for NDJSON keys not seen before.
    pub saved: Mapping,
    /// The declared profile attributes.
    pub declared: Vec<AttributeType>,
    /// For national phone numbers.
    pub region: String,
    /// External ids compared whatever their case.
    pub ignore_case: bool,
    /// The status of new customers.
    pub default_status: String,
    /// For the date-of-birth checks.
    pub today: chrono::NaiveDate,
    /// The file's name, for the events of created customers.
    pub file_name: String,
    /// When the run started: a customer written since was written by an earlier row.
    pub run_started: i64,
    /// A dry run (nothing is written, so earlier rows' identifiers are remembered in memory).
    pub dry_run: bool,
}

/// Identifiers of earlier rows (a hash of kind and value → the row), so that a customer in the
/// file twice is refused the second time. Within a batch always; across batches only in a dry
/// run (an import finds the customer an earlier batch wrote by its `updated_at` instead, so
/// its memory does not grow with the file). A batch adds its own once settled
/// ([`Seen::add`]), so a batch tried again does not meet itself.
#[derive(Default)]
pub struct Seen(HashMap<u64, i64>);

impl Seen {
    /// Adds the identifiers of a written batch.
    pub fn add(&mut self, batch: &Batch) {
        self.0.extend(batch.seen.iter().map(|(k, v)| (*k, *v)));
    }

    fn first_row(&self, batch: &HashMap<u64, i64>, key: u64) -> Option<i64> {
        self.0.get(&key).or_else(|| batch.get(&key)).copied()
    }
}

fn seen_key(kind: IdentifierKind, normalized: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    kind.name().hash(&mut hasher);
    normalized.hash(&mut hasher);
    hasher.finish()
}

/// One cell's value for a field: set to this, or cleared.
#[derive(Debug, Clone)]
struct Cell {
    column: String,
    value: Option<String>,
}

/// A row read into fields, before anything is looked up.
struct Parsed {
    row: i64,
    fields: BTreeMap<String, Cell>,
    /// (kind, normalised, as typed, column).
    identifiers: Vec<(IdentifierKind, String, String, String)>,
}

/// What a row comes to.
enum Decision {
    Create(Box<NewCustomer>, Vec<(String, String)>),
    Update(Box<Update>),
    Unchanged,
}

/// A change to a stored customer.
struct Update {
    row: i64,
    before: CustomerProfile,
    valid: ValidCustomer,
    typed: BTreeMap<&'static str, String>,
    attributes: Vec<(String, Option<String>)>,
    is_test: Option<bool>,
    changed: Vec<String>,
}

/// `yes` / `no` in the ways spreadsheets and CRMs write them.
fn yes_no(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "on" | "x" | "opted_in" | "subscribed" => Some(true),
        "no" | "n" | "false" | "0" | "off" | "opted_out" | "unsubscribed" => Some(false),
        _ => None,
    }
}

fn parse_row(row: i64, cells: Cells, settings: &mut Settings) -> Result<Parsed, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let named: Vec<(String, ColumnMapping, String)> = match cells {
        Cells::Csv(values) => settings
            .columns
            .iter()
            .zip(values)
            .map(|((column, mapping), value)| (column.clone(), mapping.clone(), value))
            .collect(),
        Cells::Json(object) => {
            let mut named = Vec::with_capacity(object.len());
            for (key, value) in object {
                let mapping = match settings.columns.iter().find(|(c, _)| *c == key) {
                    Some((_, mapping)) => mapping.clone(),
                    None => {
                        let names: Vec<String> =
                            settings.declared.iter().map(|a| a.name.clone()).collect();
                        match columns::target_of(&key, &settings.saved, &names) {
                            Some(mapping) => {
                                settings.columns.push((key.clone(), mapping.clone()));
                                mapping
                            }
                            None => {
                                problems.push(RowProblem::new(
                                    row,
                                    key,
                                    "is not a customer field or a declared profile attribute",
                                ));
                                continue;
                            }
                        }
                    }
                };
                let text = match value {
                    Value::Null => String::new(),
                    Value::String(text) => text,
                    Value::Bool(flag) => (if flag { "yes" } else { "no" }).to_string(),
                    Value::Number(number) => number.to_string(),
                    _ => {
                        problems.push(RowProblem::new(
                            row,
                            key,
                            "must be text, a number, true or false",
                        ));
                        continue;
                    }
                };
                named.push((key, mapping, text));
            }
            named
        }
    };
    let mut fields = BTreeMap::new();
    let mut identifiers = Vec::new();
    for (column, mapping, value) in named {
        if mapping.target == IGNORE || mapping.target.is_empty() {
            continue;
        }
        let value = value.trim();
        if value.contains('\0') {
            problems.push(RowProblem::new(
                row,
                column,
                "must not contain NUL characters",
            ));
            continue;
        }
        if value.is_empty() && !mapping.clear_when_empty {
            continue;
        }
        if let Some(kind) = identifier_kind(&mapping.target) {
            match kind.normalise(value, &settings.region) {
                Ok(Some(normalized)) => {
                    let normalized = match kind {
                        IdentifierKind::ExternalId => {
                            crate::identity::fold_external_id(&normalized, settings.ignore_case)
                        }
                        _ => normalized,
                    };
                    identifiers.push((kind, normalized, value.to_string(), column.clone()));
                }
                Ok(None) => {}
                Err(message) => {
                    problems.push(RowProblem::new(row, column, message));
                    continue;
                }
            }
        }
        fields.insert(
            mapping.target.clone(),
            Cell {
                column,
                value: Some(value.to_string()).filter(|v| !v.is_empty()),
            },
        );
    }
    if problems.is_empty() {
        Ok(Parsed {
            row,
            fields,
            identifiers,
        })
    } else {
        Err(problems)
    }
}

fn identifier_kind(target: &str) -> Option<IdentifierKind> {
    match target {
        "customer_id" => Some(IdentifierKind::CustomerId),
        other => IdentifierKind::held(other),
    }
}

/// Reads a batch of rows and settles each: returns what to write and the batch's counts.
pub struct Batch {
    /// Counts and where the batch ended.
    pub progress: Progress,
    /// The refused rows' problems.
    pub problems: Vec<RowProblem>,
    creates: Vec<(NewCustomer, Vec<(String, String)>)>,
    updates: Vec<Update>,
    seen: HashMap<u64, i64>,
}

/// Settles `rows` against the database as `tx` sees it. `rows_done` is what the batch's last
/// row makes of the file's progress.
pub async fn decide(
    tx: &mut Tx,
    rows: Vec<Row>,
    settings: &mut Settings,
    seen: &Seen,
    now: i64,
) -> Result<Batch, sqlx::Error> {
    let mut problems = Vec::new();
    let mut parsed = Vec::with_capacity(rows.len());
    for row in rows {
        match row.cells {
            Err(problem) => problems.push(problem),
            Ok(cells) => match parse_row(row.number, cells, settings) {
                Ok(p) => parsed.push(p),
                Err(mut found) => problems.append(&mut found),
            },
        }
    }
    let owners = look_up(tx, &parsed).await?;
    let touched: HashSet<String> = if settings.dry_run {
        HashSet::new()
    } else {
        let ids: Vec<String> = owners
            .values()
            .cloned()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut touched = HashSet::new();
        for chunk in ids.chunks(500) {
            touched.extend(super::db::written_since(tx, chunk, settings.run_started).await?);
        }
        touched
    };
    let matched: Vec<String> = owners
        .values()
        .cloned()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut profiles = HashMap::new();
    for chunk in matched.chunks(500) {
        for profile in crate::customers::db::profiles_on(tx, chunk).await? {
            profiles.insert(profile.id.clone(), profile);
        }
    }
    let mut customers_in_batch: HashMap<String, i64> = HashMap::new();
    let mut batch = Batch {
        progress: Progress::default(),
        problems: Vec::new(),
        creates: Vec::new(),
        updates: Vec::new(),
        seen: HashMap::new(),
    };
    let mut rejected_rows: HashSet<i64> = problems.iter().map(|p| p.row).collect();
    for row in parsed {
        let earlier = Earlier {
            seen,
            in_batch: &batch.seen,
            touched: &touched,
            customers: &customers_in_batch,
        };
        match settle(&row, settings, earlier, &owners, &profiles, now) {
            Ok((customer, decision)) => {
                for (kind, normalized, ..) in &row.identifiers {
                    batch.seen.insert(seen_key(*kind, normalized), row.row);
                }
                if let Some(customer) = customer {
                    customers_in_batch.insert(customer, row.row);
                }
                match decision {
                    Decision::Create(customer, attributes) => {
                        batch.creates.push((*customer, attributes))
                    }
                    Decision::Update(update) => batch.updates.push(*update),
                    Decision::Unchanged => batch.progress.unchanged += 1,
                }
            }
            Err(mut found) => {
                rejected_rows.insert(row.row);
                problems.append(&mut found);
            }
        }
    }
    problems.sort_by_key(|p| p.row);
    batch.progress.created = batch.creates.len() as i64;
    batch.progress.updated = batch.updates.len() as i64;
    batch.progress.rejected = rejected_rows.len() as i64;
    batch.problems = problems;
    Ok(batch)
}

/// Who holds each of the batch's identifiers: `(kind, normalised)` → customer id; customer ids
/// that exist map to themselves (a merged-away id to its survivor).
async fn look_up(
    tx: &mut Tx,
    parsed: &[Parsed],
) -> Result<HashMap<(IdentifierKind, String), String>, sqlx::Error> {
    let mut by_kind: BTreeMap<&'static str, (IdentifierKind, Vec<String>)> = BTreeMap::new();
    for row in parsed {
        for (kind, normalized, ..) in &row.identifiers {
            by_kind
                .entry(kind.name())
                .or_insert_with(|| (*kind, Vec::new()))
                .1
                .push(normalized.clone());
        }
    }
    let mut found = HashMap::new();
    for (name, (kind, values)) in by_kind {
        for chunk in values.chunks(500) {
            let pairs = if kind == IdentifierKind::CustomerId {
                let mut pairs = super::db::existing_customers(tx, chunk).await?;
                let missing: Vec<String> = chunk
                    .iter()
                    .filter(|id| !pairs.iter().any(|(found, _)| found == *id))
                    .cloned()
                    .collect();
                if !missing.is_empty() {
                    pairs.extend(crate::identity::db::survivors(tx, &missing).await?);
                }
                pairs
            } else {
                crate::identity::db::owners(tx, name, chunk).await?
            };
            for (value, customer) in pairs {
                found.insert((kind, value), customer);
            }
        }
    }
    Ok(found)
}

/// What earlier rows of the file did: identifiers of rows settled before (in this batch, or
/// in earlier ones of a dry run) and customers this run wrote.
struct Earlier<'a> {
    seen: &'a Seen,
    in_batch: &'a HashMap<u64, i64>,
    touched: &'a HashSet<String>,
    customers: &'a HashMap<String, i64>,
}

/// The decision for one parsed row, or its problems.
fn settle(
    row: &Parsed,
    settings: &Settings,
    earlier: Earlier<'_>,
    owners: &HashMap<(IdentifierKind, String), String>,
    profiles: &HashMap<String, CustomerProfile>,
    now: i64,
) -> Result<(Option<String>, Decision), Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut matched: Option<(String, &str)> = None;
    for (kind, normalized, _, column) in &row.identifiers {
        if let Some(first) = earlier
            .seen
            .first_row(earlier.in_batch, seen_key(*kind, normalized))
        {
            problems.push(RowProblem::new(
                row.row,
                column.clone(),
                format!("is also on row {first}: put each customer in the file once"),
            ));
            continue;
        }
        if owners
            .get(&(*kind, normalized.clone()))
            .is_some_and(|owner| earlier.touched.contains(owner))
        {
            problems.push(RowProblem::new(
                row.row,
                column.clone(),
                "belongs to a customer an earlier row of this file created or updated: put each \
                 customer in the file once",
            ));
            continue;
        }
        match (owners.get(&(*kind, normalized.clone())), &matched) {
            (None, _) if *kind == IdentifierKind::CustomerId => problems.push(RowProblem::new(
                row.row,
                column.clone(),
                "no customer has this id (leave it empty to create a customer)",
            )),
            (None, _) => {}
            (Some(owner), None) => matched = Some((owner.clone(), column)),
            (Some(owner), Some((first, first_column))) if owner != first => {
                problems.push(RowProblem::new(
                    row.row,
                    column.clone(),
                    format!(
                        "belongs to another customer than the one column \"{first_column}\" finds"
                    ),
                ))
            }
            _ => {}
        }
    }
    if let Some((id, column)) = &matched {
        if let Some(first) = earlier.customers.get(id) {
            problems.push(RowProblem::new(
                row.row,
                column.to_string(),
                format!(
                    "finds the same customer as row {first}: put each customer in the file once"
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let before = matched
        .as_ref()
        .and_then(|(id, _)| profiles.get(id).cloned());
    let customer = matched.map(|(id, _)| id);
    decision(row, settings, before, now).map(|d| (customer, d))
}

fn text_field(row: &Parsed, field: &str, stored: Option<&String>) -> String {
    match row.fields.get(field) {
        Some(cell) => cell.value.clone().unwrap_or_default(),
        None => stored.cloned().unwrap_or_default(),
    }
}

fn decision(
    row: &Parsed,
    settings: &Settings,
    before: Option<CustomerProfile>,
    now: i64,
) -> Result<Decision, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let stored = before.as_ref().map(|b| &b.contact);
    let field = |name: &str, pick: fn(&crate::customers::Contact) -> &Option<String>| {
        text_field(row, name, stored.and_then(|c| pick(c).as_ref()))
    };
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
    let form = NewCustomerForm {
        first_name: field("first_name", |c| &c.first_name),
        last_name: field("last_name", |c| &c.last_name),
        email: field("email", |c| &c.email),
        phone: field("phone", |c| &c.phone),
        card_number: field("card_number", |c| &c.card_number),
        external_id: field("external_id", |c| &c.external_id),
        date_of_birth: field("date_of_birth", |c| &c.date_of_birth),
        address_line: field("address_line", |c| &c.address_line),
        city: field("city", |c| &c.city),
        postal_code: field("postal_code", |c| &c.postal_code),
        country: field("country", |c| &c.country),
        status_id: String::new(),
        email_opt_in: flag(
            "email_opt_in",
            before.as_ref().is_some_and(|b| b.email_opt_in),
        ),
        sms_opt_in: flag("sms_opt_in", before.as_ref().is_some_and(|b| b.sms_opt_in)),
        push_opt_in: flag(
            "push_opt_in",
            before.as_ref().is_some_and(|b| b.push_opt_in),
        ),
        is_test: flag("is_test", false),
    };
    let is_test = row.fields.get("is_test").map(|_| form.is_test.is_some());
    let column_of = |field: &str| {
        row.fields
            .get(field)
            .map(|c| c.column.clone())
            .unwrap_or_else(|| field.to_string())
    };
    let mut valid = match validate(&form, &settings.region, settings.today) {
        Ok(valid) => valid,
        Err(errors) => {
            for (field, message) in errors {
                problems.push(RowProblem::new(row.row, column_of(field), message));
            }
            return Err(problems);
        }
    };
    if let Some(id) = &mut valid.contact.external_id {
        *id = crate::identity::fold_external_id(id, settings.ignore_case);
    }
    let mut attributes = Vec::new();
    for (target, cell) in &row.fields {
        let Some(name) = target.strip_prefix("attribute:") else {
            continue;
        };
        let input = cell.value.clone().unwrap_or_default();
        match crate::attributes::checked_input(
            &settings.declared,
            name,
            &input,
            &cell.column,
            &cell.column,
        ) {
            Ok(value) => attributes.push((name.to_string(), value)),
            Err(error) => problems.push(RowProblem::new(
                row.row,
                cell.column.clone(),
                error.to_string(),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let typed: BTreeMap<&'static str, String> = ["email", "phone", "card_number", "external_id"]
        .into_iter()
        .map(|kind| (kind, text_field(row, kind, None)))
        .collect();
    let Some(before) = before else {
        // Active when their history says so (an events import), not when imported.
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
        return Ok(Decision::Create(Box::new(customer), attributes));
    };
    let mut changed: Vec<String> = Vec::new();
    let pairs = [
        (
            "first_name",
            &before.contact.first_name,
            &valid.contact.first_name,
        ),
        (
            "last_name",
            &before.contact.last_name,
            &valid.contact.last_name,
        ),
        ("email", &before.contact.email, &valid.contact.email),
        ("phone", &before.contact.phone, &valid.contact.phone),
        (
            "card_number",
            &before.contact.card_number,
            &valid.contact.card_number,
        ),
        (
            "external_id",
            &before.contact.external_id,
            &valid.contact.external_id,
        ),
        (
            "date_of_birth",
            &before.contact.date_of_birth,
            &valid.contact.date_of_birth,
        ),
        (
            "address_line",
            &before.contact.address_line,
            &valid.contact.address_line,
        ),
        ("city", &before.contact.city, &valid.contact.city),
        (
            "postal_code",
            &before.contact.postal_code,
            &valid.contact.postal_code,
        ),
        ("country", &before.contact.country, &valid.contact.country),
    ];
    for (name, old, new) in pairs {
        if old != new {
            changed.push(name.to_string());
        }
    }
    for (name, old, new) in [
        ("email_opt_in", before.email_opt_in, valid.opt_ins.0),
        ("sms_opt_in", before.sms_opt_in, valid.opt_ins.1),
        ("push_opt_in", before.push_opt_in, valid.opt_ins.2),
    ] {
        if old != new {
            changed.push(name.to_string());
        }
    }
    attributes.retain(|(name, value)| {
        let old = before
            .attributes
            .iter()
            .find(|a| a.name == *name)
            .map(|a| &a.value);
        old != value.as_ref()
    });
    changed.extend(attributes.iter().map(|(name, _)| name.clone()));
    if changed.is_empty() && is_test.is_none() {
        return Ok(Decision::Unchanged);
    }
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

/// Writes a settled batch: new customers (with their identifiers, attributes and a
/// `customer_created` event each) and updates (profile, identifiers, attributes and a
/// `profile_updated` event each). The updates were decided inside this transaction, so
/// nobody changed those customers since. Returns the events written, for the live channel.
pub async fn write(
    tx: &mut Tx,
    batch: &mut Batch,
    settings: &Settings,
    now: i64,
) -> Result<Vec<NewEvent>, sqlx::Error> {
    let creates: Vec<NewCustomer> = batch.creates.iter().map(|(c, _)| c.clone()).collect();
    crate::customers::db::insert_many(tx, &creates, "import").await?;
    let mut events = Vec::with_capacity(creates.len() + batch.updates.len());
    for (customer, attributes) in &batch.creates {
        for (name, value) in attributes {
            crate::attributes::db::set_value(tx, &customer.id, name, Some(value), now).await?;
        }
        events.push(imported(
            &customer.id,
            "customer_created",
            json!({"channel": "import", "file": settings.file_name, "test_persona": customer.is_test}),
            now,
        ));
    }
    for update in &batch.updates {
        let id = &update.before.id;
        if !update.changed.is_empty() {
            if !crate::customers::db::update_profile(
                tx,
                id,
                update.before.version,
                &update.valid,
                now,
            )
            .await?
            {
                batch.progress.updated -= 1;
                batch.progress.rejected += 1;
                batch.problems.push(RowProblem::new(
                    update.row,
                    "",
                    "someone changed this customer during the import; import the row again",
                ));
                continue;
            }
            let old_and_new = update
                .before
                .contact
                .primary_identifiers()
                .into_iter()
                .zip(update.valid.contact.primary_identifiers());
            for ((kind, old), (_, new)) in old_and_new {
                if old == new {
                    continue;
                }
                let typed = update
                    .typed
                    .get(kind)
                    .map(String::as_str)
                    .unwrap_or_default();
                let new = new
                    .as_deref()
                    .map(|n| (n, if typed.is_empty() { n } else { typed }));
                crate::identity::db::replace_primary(
                    tx,
                    id,
                    kind,
                    old.as_deref(),
                    new,
                    "import",
                    now,
                )
                .await?;
            }
            for (name, value) in &update.attributes {
                crate::attributes::db::set_value(tx, id, name, value.as_deref(), now).await?;
            }
        }
        let mut changed = update.changed.clone();
        if let Some(is_test) = update.is_test {
            if super::db::set_test_persona(tx, id, is_test).await? {
                changed.push("is_test".into());
            }
        }
        if changed.is_empty() {
            batch.progress.updated -= 1;
            batch.progress.unchanged += 1;
            continue;
        }
        events.push(imported(
            id,
            "profile_updated",
            json!({"fields": changed, "channel": "import", "file": settings.file_name}),
            now,
        ));
    }
    Ok(events)
}

fn imported(customer_id: &str, event_type: &str, payload: Value, now: i64) -> NewEvent {
    let mut event = NewEvent::console(customer_id, event_type, now, payload);
    event.source = "import".into();
    event
}
