//! Step 2 of a batch: every parsed row matched to the customer its identifiers find, as the
//! transaction sees the database, and settled ([`super::decision`]). A row whose identifiers
//! point at two customers, or that repeats an identifier or a customer of an earlier row, is
//! refused at that column.

use super::decision::{decision, Decision, Update};
use super::parse::{parse_row, Parsed};
use super::Settings;
use crate::change::Tx;
use crate::customers::{CustomerProfile, NewCustomer};
use crate::identity::IdentifierKind;
use crate::import::db::Progress;
use crate::import::model::RowProblem;
use crate::import::reader::Row;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};

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

/// A settled batch: what to write and the batch's counts.
#[derive(Default)]
pub struct Batch {
    /// Counts and where the batch ended.
    pub progress: Progress,
    /// The refused rows' problems.
    pub problems: Vec<RowProblem>,
    pub(super) creates: Vec<(NewCustomer, Vec<(String, String)>)>,
    pub(super) updates: Vec<Update>,
    /// Identifiers for customers to hold beyond their primary ones: (customer id, kind,
    /// normalised, as typed).
    pub(super) extras: Vec<(String, IdentifierKind, String, String)>,
    seen: HashMap<u64, i64>,
}

/// Who holds each identifier: `(kind, normalised)` → customer id.
type Owners = HashMap<(IdentifierKind, String), String>;

/// Settles `rows` against the database as `tx` sees it.
pub async fn decide(
    tx: &mut Tx,
    rows: Vec<Row>,
    settings: &mut Settings,
    seen: &Seen,
    now: i64,
) -> Result<Batch, sqlx::Error> {
    let (parsed, mut problems) = parse_all(rows, settings);
    let owners = look_up(tx, &parsed, settings.citus).await?;
    let matched: Vec<String> = owners
        .values()
        .cloned()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let touched = if settings.dry_run {
        HashSet::new()
    } else {
        written_this_run(tx, &matched, settings.run_started).await?
    };
    let profiles = profiles_of(tx, &matched).await?;
    let mut batch = Batch::default();
    let mut customers_in_batch = HashMap::new();
    let mut rejected_rows: HashSet<i64> = problems.iter().map(|p| p.row).collect();
    for row in parsed {
        let earlier = Earlier {
            seen,
            in_batch: &batch.seen,
            touched: &touched,
            customers: &customers_in_batch,
        };
        let (customer, decision, mut left_out) =
            match settle(&row, settings, earlier, &owners, &profiles, now) {
                Ok(settled) => settled,
                Err(mut found) => {
                    rejected_rows.insert(row.row);
                    problems.append(&mut found);
                    continue;
                }
            };
        left_out.splice(0..0, row.left_out.iter().cloned());
        batch.progress.left_out += left_out.len() as i64;
        problems.append(&mut left_out);
        for (kind, normalized, ..) in &row.identifiers {
            batch.seen.insert(seen_key(*kind, normalized), row.row);
        }
        let holder = match &decision {
            Decision::Create(customer, _) => Some(customer.id.clone()),
            _ => customer.clone(),
        };
        let held = (holder.as_deref(), settings.ignore_case);
        let extras = new_extras(&row, held, &owners, &profiles);
        if let Some(customer) = customer {
            customers_in_batch.insert(customer, row.row);
        }
        match decision {
            Decision::Create(customer, attributes) => batch.creates.push((*customer, attributes)),
            Decision::Update(update) => batch.updates.push(*update),
            Decision::Unchanged if extras.is_empty() => batch.progress.unchanged += 1,
            Decision::Unchanged => batch.progress.updated += 1,
        }
        batch.extras.extend(extras);
    }
    problems.sort_by_key(|p| p.row);
    batch.progress.created = batch.creates.len() as i64;
    batch.progress.updated += batch.updates.len() as i64;
    batch.progress.rejected = rejected_rows.len() as i64;
    batch.problems = problems;
    Ok(batch)
}

/// The row's extra identifiers its customer (`holder`) does not hold yet, for it to hold; and
/// the customer's primary one among them, which the row's own primary replaces (and so is
/// removed, then held again as an extra).
fn new_extras(
    row: &Parsed,
    (holder, ignore_case): (Option<&str>, bool),
    owners: &Owners,
    profiles: &HashMap<String, CustomerProfile>,
) -> Vec<(String, IdentifierKind, String, String)> {
    let Some(holder) = holder else {
        return Vec::new();
    };
    let is_primary = |kind: IdentifierKind, normalized: &str| {
        profiles.get(holder).is_some_and(|profile| {
            let primaries = profile.contact.primary_keys(ignore_case);
            primaries
                .iter()
                .any(|(name, key)| *name == kind.name() && key.as_deref() == Some(normalized))
        })
    };
    row.extras
        .iter()
        .filter(
            |(kind, normalized, _)| match owners.get(&(*kind, normalized.clone())) {
                None => true,
                Some(owner) => owner == holder && is_primary(*kind, normalized),
            },
        )
        .map(|(kind, normalized, typed)| {
            (holder.to_string(), *kind, normalized.clone(), typed.clone())
        })
        .collect()
}

/// Every row parsed, and the problems of those that could not be.
fn parse_all(rows: Vec<Row>, settings: &mut Settings) -> (Vec<Parsed>, Vec<RowProblem>) {
    let mut problems = Vec::new();
    let mut parsed = Vec::with_capacity(rows.len());
    for row in rows {
        match row
            .cells
            .map(|cells| parse_row(row.number, cells, settings))
        {
            Err(problem) => problems.push(problem),
            Ok(Ok(p)) => parsed.push(p),
            Ok(Err(mut found)) => problems.append(&mut found),
        }
    }
    (parsed, problems)
}

/// Of `customers`, those this run already wrote (an earlier batch's rows).
async fn written_this_run(
    tx: &mut Tx,
    customers: &[String],
    run_started: i64,
) -> Result<HashSet<String>, sqlx::Error> {
    let mut touched = HashSet::new();
    for chunk in customers.chunks(500) {
        touched.extend(crate::import::db::written_since(tx, chunk, run_started).await?);
    }
    Ok(touched)
}

async fn profiles_of(
    tx: &mut Tx,
    customers: &[String],
) -> Result<HashMap<String, CustomerProfile>, sqlx::Error> {
    let mut profiles = HashMap::new();
    for chunk in customers.chunks(500) {
        for profile in crate::customers::db::profiles_on(tx, chunk).await? {
            profiles.insert(profile.id.clone(), profile);
        }
    }
    Ok(profiles)
}

/// Who holds each of the batch's identifiers; customer ids that exist map to themselves (a
/// merged-away id to its survivor). `citus`: identifiers are looked up a shard at a time.
async fn look_up(tx: &mut Tx, parsed: &[Parsed], citus: bool) -> Result<Owners, sqlx::Error> {
    let mut by_kind: BTreeMap<&'static str, (IdentifierKind, Vec<String>)> = BTreeMap::new();
    for (kind, normalized, ..) in parsed.iter().flat_map(|row| &row.identifiers) {
        let values = &mut by_kind.entry(kind.name()).or_insert((*kind, Vec::new())).1;
        values.push(normalized.clone());
    }
    let mut found = HashMap::new();
    for (name, (kind, mut values)) in by_kind {
        let pairs = if kind == IdentifierKind::CustomerId {
            let mut pairs = Vec::new();
            for chunk in values.chunks(500) {
                pairs.extend(customer_ids(tx, chunk).await?);
            }
            pairs
        } else {
            values.sort_unstable();
            values.dedup();
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            crate::identity::db::owners_by_shard(tx, name, &values, citus).await?
        };
        for (value, customer) in pairs {
            found.insert((kind, value), customer);
        }
    }
    Ok(found)
}

/// Customer ids → the customer holding them now (itself, or a merge's survivor).
async fn customer_ids(tx: &mut Tx, ids: &[String]) -> Result<Vec<(String, String)>, sqlx::Error> {
    let mut pairs = crate::import::db::existing_customers(tx, ids).await?;
    let missing: Vec<String> = ids
        .iter()
        .filter(|id| !pairs.iter().any(|(found, _)| found == *id))
        .cloned()
        .collect();
    if !missing.is_empty() {
        pairs.extend(crate::identity::db::survivors(tx, &missing).await?);
    }
    Ok(pairs)
}

/// What earlier rows of the file did: identifiers of rows settled before (in this batch, or
/// in earlier ones of a dry run) and customers this run wrote.
struct Earlier<'a> {
    seen: &'a Seen,
    in_batch: &'a HashMap<u64, i64>,
    touched: &'a HashSet<String>,
    customers: &'a HashMap<String, i64>,
}

/// The customer a row finds (if any), its decision and the values left out of it; or its
/// problems.
fn settle(
    row: &Parsed,
    settings: &Settings,
    earlier: Earlier<'_>,
    owners: &Owners,
    profiles: &HashMap<String, CustomerProfile>,
    now: i64,
) -> Result<(Option<String>, Decision, Vec<RowProblem>), Vec<RowProblem>> {
    let matched = match_row(row, &earlier, owners)?;
    let before = matched.as_ref().and_then(|id| profiles.get(id).cloned());
    decision(row, settings, before, now).map(|(d, left_out)| (matched, d, left_out))
}

/// The one customer the row's identifiers find, or why they cannot be used.
fn match_row(
    row: &Parsed,
    earlier: &Earlier<'_>,
    owners: &Owners,
) -> Result<Option<String>, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut matched: Option<(&String, &str)> = None;
    for (kind, normalized, _, column) in &row.identifiers {
        let problem = |message: String| RowProblem::new(row.row, column.clone(), message);
        let owner = owners.get(&(*kind, normalized.clone()));
        if let Some(first) = earlier
            .seen
            .first_row(earlier.in_batch, seen_key(*kind, normalized))
        {
            problems.push(problem(format!(
                "is also on row {first}: put each customer in the file once"
            )));
            continue;
        }
        if owner.is_some_and(|owner| earlier.touched.contains(owner)) {
            problems.push(problem(
                "belongs to a customer an earlier row of this file created or updated: put each \
                 customer in the file once"
                    .into(),
            ));
            continue;
        }
        match (owner, &matched) {
            (None, _) if *kind == IdentifierKind::CustomerId => problems.push(problem(
                "no customer has this id (leave it empty to create a customer)".into(),
            )),
            (Some(owner), None) => matched = Some((owner, column)),
            (Some(owner), Some((first, first_column))) if owner != *first => {
                problems.push(problem(format!(
                    "belongs to another customer than the one column \"{first_column}\" finds"
                )))
            }
            _ => {}
        }
    }
    if let Some((id, column)) = matched {
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
    if problems.is_empty() {
        Ok(matched.map(|(id, _)| id.clone()))
    } else {
        Err(problems)
    }
}
