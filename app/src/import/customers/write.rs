//! Step 4 of a batch: writing what was decided — new customers with their identifiers,
//! attributes and a `customer_created` event each; updates with theirs and a `profile_updated`
//! event each. The updates were decided inside this transaction, so nobody changed those
//! customers since (a version check still guards the profile row).

use super::decide::Batch;
use super::decision::Update;
use super::Settings;
use crate::change::Tx;
use crate::customers::NewCustomer;
use crate::events::NewEvent;
use crate::identity::db::NewIdentifier;
use crate::identity::IdentifierKind;
use crate::import::model::RowProblem;
use serde_json::{json, Value};
use std::collections::HashSet;

/// Writes a settled batch; returns the events written, for the live channel.
pub async fn write(
    tx: &mut Tx,
    batch: &mut Batch,
    settings: &Settings,
    now: i64,
) -> Result<Vec<NewEvent>, sqlx::Error> {
    let mut events = write_creates(tx, &batch.creates, settings, now).await?;
    let updates = std::mem::take(&mut batch.updates);
    let mut gaining: HashSet<String> = batch.extras.iter().map(|e| e.0.clone()).collect();
    for (customer, _) in &batch.creates {
        gaining.remove(&customer.id);
    }
    for update in &updates {
        let id = &update.before.id;
        let gains = gaining.remove(id);
        match write_update(tx, update, settings.ignore_case, now).await? {
            Written::Changed(fields) => events.push(updated(id, fields, gains, settings, now)),
            Written::Unchanged if gains => events.push(updated(id, vec![], true, settings, now)),
            Written::Unchanged => {
                batch.progress.updated -= 1;
                batch.progress.unchanged += 1;
            }
            Written::Conflict => {
                batch.extras.retain(|e| e.0 != *id);
                batch.progress.updated -= 1;
                batch.progress.rejected += 1;
                batch.problems.push(RowProblem::new(
                    update.row,
                    "",
                    "someone changed this customer during the import; import the row again",
                ));
            }
        }
    }
    // Customers whose only change is identifiers more.
    for id in gaining {
        events.push(updated(&id, vec![], true, settings, now));
    }
    write_extras(tx, &batch.extras, now).await?;
    batch.updates = updates;
    Ok(events)
}

/// The `profile_updated` event of an imported update: the fields it changed, and
/// `identifiers` when the customer gained some.
fn updated(
    customer_id: &str,
    mut fields: Vec<String>,
    gained_identifiers: bool,
    settings: &Settings,
    now: i64,
) -> NewEvent {
    if gained_identifiers {
        fields.push("identifiers".into());
    }
    let payload = json!({"fields": fields, "channel": "import", "file": settings.file_name});
    imported(customer_id, "profile_updated", payload, now)
}

/// The identifiers customers hold beyond their primary ones (a second phone, email…).
async fn write_extras(
    tx: &mut Tx,
    extras: &[(String, IdentifierKind, String, String)],
    now: i64,
) -> Result<(), sqlx::Error> {
    let identifiers: Vec<NewIdentifier> = extras
        .iter()
        .map(|(customer_id, kind, normalized, typed)| NewIdentifier {
            customer_id,
            kind: kind.name(),
            normalized,
            value: typed,
            is_primary: false,
            source: "import",
            added_at: now,
        })
        .collect();
    crate::identity::db::insert(tx, &identifiers).await
}

async fn write_creates(
    tx: &mut Tx,
    creates: &[(NewCustomer, Vec<(String, String)>)],
    settings: &Settings,
    now: i64,
) -> Result<Vec<NewEvent>, sqlx::Error> {
    let customers: Vec<NewCustomer> = creates.iter().map(|(c, _)| c.clone()).collect();
    crate::customers::db::insert_many(tx, &customers, "import", settings.ignore_case).await?;
    let mut events = Vec::with_capacity(creates.len());
    for (customer, attributes) in creates {
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
    Ok(events)
}

/// What writing one update came to.
enum Written {
    Changed(Vec<String>),
    Unchanged,
    Conflict,
}

async fn write_update(
    tx: &mut Tx,
    update: &Update,
    ignore_case: bool,
    now: i64,
) -> Result<Written, sqlx::Error> {
    let id = &update.before.id;
    if !update.changed.is_empty() {
        let version = update.before.version;
        if !crate::customers::db::update_profile(tx, id, version, &update.valid, now).await? {
            return Ok(Written::Conflict);
        }
        replace_identifiers(tx, update, ignore_case, now).await?;
        for (name, value) in &update.attributes {
            crate::attributes::db::set_value(tx, id, name, value.as_deref(), now).await?;
        }
    }
    let mut changed = update.changed.clone();
    if let Some(is_test) = update.is_test {
        if crate::import::db::set_test_persona(tx, id, is_test).await? {
            changed.push("is_test".into());
        }
    }
    Ok(if changed.is_empty() {
        Written::Unchanged
    } else {
        Written::Changed(changed)
    })
}

/// The primary identifiers that changed, each kept as the file typed it.
async fn replace_identifiers(
    tx: &mut Tx,
    update: &Update,
    ignore_case: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    let changed = update
        .valid
        .contact
        .changed_primaries(&update.before.contact, ignore_case);
    for (kind, old, new) in changed {
        let read = update.valid.contact.primary_identifiers();
        let read = read
            .iter()
            .find(|(k, _)| *k == kind)
            .and_then(|(_, v)| v.as_deref());
        let typed = update.typed.get(kind).map(String::as_str);
        let typed = typed.filter(|t| !t.is_empty()).or(read);
        let new = new.as_deref().map(|n| (n, typed.unwrap_or(n)));
        let id = &update.before.id;
        crate::identity::db::replace_primary(tx, id, kind, old.as_deref(), new, "import", now)
            .await?;
    }
    Ok(())
}

fn imported(customer_id: &str, event_type: &str, payload: Value, now: i64) -> NewEvent {
    let mut event = NewEvent::console(customer_id, event_type, now, payload);
    event.source = "import".into();
    event
}
