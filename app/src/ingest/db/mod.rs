//! Stores a batch of validated events: matches customers, enriches, drops repeats, and
//! updates the projections (points, purchases, tier, tags, last active) in the same
//! transaction as the events.

mod projections;

pub use projections::{add_tag_counts, count_refusals, tag_counts, TagCount};

use super::model::{FieldError, Outcome};
use super::validate::ValidEvent;
use crate::events::NewEvent;
use crate::identity::{Identifier, IdentifierKind};
use crate::store::{list_placeholders, Backend};
use projections::{apply_points, apply_projections, lock_customers};
use serde_json::{json, Value};
use sqlx::{Any, AnyConnection, Row, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// One event of a request after validation.
pub struct Checked {
    /// Position in the request.
    pub index: usize,
    /// The sender's `event_id`, when readable.
    pub event_id: Option<String>,
    /// The event, or what is wrong with it.
    pub event: Result<ValidEvent, Vec<FieldError>>,
}

/// Largest `IN (…)` list per statement.
const IN_CHUNK: usize = 500;

/// A batch's events ready to store: matched to their customers and enriched, with the
/// answers already known (invalid, unknown customer, restricted, a repeat inside the batch).
pub struct Prepared {
    /// The answer for each event of the batch so far (`None`: waiting to be stored).
    pub outcomes: Vec<Option<Outcome>>,
    /// The events to store, each with its place in the batch.
    pub events: Vec<(usize, NewEvent)>,
    /// Events refused because their customer is restricted, counted per customer.
    pub refused: BTreeMap<String, i64>,
}

/// Matches and enriches the valid events of `batch` through `conn`, reading only.
pub async fn prepare(
    backend: Backend,
    conn: &mut AnyConnection,
    batch: &[Checked],
    ignore_case: bool,
    now: i64,
) -> Result<Prepared, sqlx::Error> {
    let valid: Vec<&ValidEvent> = batch.iter().filter_map(|c| c.event.as_ref().ok()).collect();
    let customers = resolve_customers(backend, conn, &valid, ignore_case).await?;
    let stores = stores(backend, conn, &valid).await?;
    let products = products(backend, conn, &valid).await?;

    let mut outcomes: Vec<Option<Outcome>> = vec![None; batch.len()];
    let mut events: Vec<(usize, NewEvent)> = Vec::new();
    let mut seen: HashMap<(String, String), String> = HashMap::new();
    let mut refused: BTreeMap<String, i64> = BTreeMap::new();
    for (slot, checked) in batch.iter().enumerate() {
        let event = match &checked.event {
            Ok(event) => event,
            Err(errors) => {
                outcomes[slot] = Some(Outcome::Rejected {
                    errors: errors.clone(),
                });
                continue;
            }
        };
        // What does not depend on the customer is checked first, so that a refusal never
        // tells whether the identifier belongs to a customer (publishable keys).
        let payload = match catalogued(event, &stores, &products) {
            Ok(payload) => payload,
            Err(errors) => {
                outcomes[slot] = Some(Outcome::Rejected { errors });
                continue;
            }
        };
        let customer = customers.get(&(event.customer.kind, event.customer.value.clone()));
        let Some((customer_id, tier, restricted)) = customer else {
            outcomes[slot] = Some(unknown_customer(event));
            continue;
        };
        if *restricted && REFUSED_WHILE_RESTRICTED.contains(&event.event_type.as_str()) {
            *refused.entry(customer_id.clone()).or_insert(0) += 1;
            outcomes[slot] = Some(restricted_refusal());
            continue;
        }
        let new = stored_form(event, payload, customer_id, tier.as_deref(), now);
        let key = (new.customer_id.clone(), event.client_event_id.clone());
        if let Some(first) = seen.get(&key) {
            outcomes[slot] = Some(Outcome::Duplicate {
                id: first.clone(),
                customer_id: new.customer_id.clone(),
            });
        } else {
            seen.insert(key, new.id.clone());
            events.push((slot, new));
        }
    }
    Ok(Prepared {
        outcomes,
        events,
        refused,
    })
}

/// The answer for an event refused because its customer's processing is restricted.
pub fn restricted_refusal() -> Outcome {
    Outcome::Rejected {
        errors: vec![FieldError::about_customer(
            "customer",
            "processing of this customer's data is restricted (GDPR art. 18): \
             no points, tiers, offers or rewards until reinstated",
        )],
    }
}

/// What storing did with one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Stored, its projections moved.
    Accepted,
    /// Stored before under the same customer and `event_id`: the id it was stored under.
    Duplicate(String),
    /// Refused: it would take the points balance below zero (the balance it met).
    BelowZero(i64),
    /// Refused: its customer was merged away or forgotten after it was matched (another
    /// request committed in between); only this event is refused.
    CustomerGone,
}

impl Stored {
    /// The sender's answer for `event`.
    pub fn outcome(self, event: &NewEvent) -> Outcome {
        match self {
            Self::Accepted => Outcome::Accepted {
                id: event.id.clone(),
                customer_id: event.customer_id.clone(),
            },
            Self::Duplicate(id) => Outcome::Duplicate {
                id,
                customer_id: event.customer_id.clone(),
            },
            Self::BelowZero(balance) => Outcome::Rejected {
                errors: vec![FieldError::about_customer(
                    "payload.points",
                    format!("would take the points balance below zero (balance {balance})"),
                )],
            },
            Self::CustomerGone => Outcome::Rejected {
                errors: vec![FieldError::about_customer(
                    "customer",
                    "this customer was merged into another or forgotten while the event was \
                     being stored; send it again (a merged customer's events go to the profile \
                     kept)",
                )],
            },
        }
    }
}

/// Stores `events` (matched and enriched, no two with the same customer and `event_id`
/// unless a repeat is meant to be answered as one) in `tx` with their projections: points
/// balances, purchases, spend, last activity, tier and tag counts, then the tier rules for
/// customers whose qualifying points grew. One answer per event, in order. `one_by_one`:
/// lock customers one at a time (Citus).
pub async fn store_events(
    tx: &mut Transaction<'_, Any>,
    events: &[NewEvent],
    tier_rules: &crate::tiers::model::TierRules,
    one_by_one: bool,
    now: i64,
) -> Result<Vec<Stored>, sqlx::Error> {
    let present = lock_customers(tx, &events.iter().collect::<Vec<_>>(), one_by_one).await?;
    // A merge or forget that committed after the events were matched removed their customer:
    // those events alone are refused.
    let kept: std::borrow::Cow<[NewEvent]> =
        if events.iter().all(|e| present.contains(&e.customer_id)) {
            std::borrow::Cow::Borrowed(events)
        } else {
            let kept = events.iter().filter(|e| present.contains(&e.customer_id));
            std::borrow::Cow::Owned(kept.cloned().collect())
        };
    let inserted = crate::events::db::insert_new(tx, &kept).await?;
    let earlier = earlier_ids(tx, &kept, &inserted).await?;
    let mut stored: Vec<&NewEvent> = kept.iter().filter(|e| inserted.contains(&e.id)).collect();
    let below_zero = apply_points(tx, &stored).await?;
    stored.retain(|e| !below_zero.contains_key(&e.id));
    apply_projections(tx, &stored, now).await?;
    // Points that qualify for tiers move tiers at once, in the same transaction.
    let qualifying: BTreeSet<&str> = stored
        .iter()
        .filter(|e| e.points_delta.is_some_and(|p| p > 0))
        .map(|e| e.customer_id.as_str())
        .collect();
    let qualifying: Vec<&str> = qualifying.into_iter().collect();
    crate::tiers::engine::apply_rules(tx, tier_rules, &qualifying, now).await?;
    Ok(events
        .iter()
        .map(|event| {
            if !present.contains(&event.customer_id) {
                Stored::CustomerGone
            } else if let Some(balance) = below_zero.get(&event.id) {
                Stored::BelowZero(*balance)
            } else if inserted.contains(&event.id) {
                Stored::Accepted
            } else {
                let key = (
                    event.customer_id.clone(),
                    event.client_event_id.clone().unwrap_or_default(),
                );
                Stored::Duplicate(earlier.get(&key).cloned().unwrap_or_default())
            }
        })
        .collect())
}

/// A matched customer: id and tier at the time.
type Customer = (String, Option<String>, bool);

/// Event types refused while a customer's processing is restricted (GDPR art. 18): they
/// would accrue points, move a tier or deliver an offer, reward or campaign.
pub const REFUSED_WHILE_RESTRICTED: [&str; 8] = [
    "points_earned",
    "points_comped",
    "tier_promoted",
    "tier_demoted",
    "offer_redeemed",
    "reward_redeemed",
    "campaign_progress",
    "loyalty_rule_completed",
];

async fn resolve_customers(
    backend: Backend,
    conn: &mut AnyConnection,
    events: &[&ValidEvent],
    external_ids_ignore_case: bool,
) -> Result<HashMap<(IdentifierKind, String), Customer>, sqlx::Error> {
    let mut by_kind: BTreeMap<&'static str, (IdentifierKind, Vec<String>)> = BTreeMap::new();
    for event in events {
        let Identifier { kind, value } = &event.customer;
        by_kind
            .entry(kind.name())
            .or_insert_with(|| (*kind, Vec::new()))
            .1
            .push(value.clone());
    }
    // One row per chunk, the matches as a JSON array: sqlx's SQLite driver hands each row
    // across threads, and a thousand rows cost several times the lookups themselves.
    let aggregate = match backend {
        Backend::Sqlite => "json_group_array(json_array(id, tier, restricted_at))",
        Backend::Postgres => "CAST(json_agg(json_build_array(id, tier, restricted_at)) AS TEXT)",
    };
    let mut found = HashMap::new();
    for (column, (kind, mut values)) in by_kind {
        values.sort_unstable();
        values.dedup();
        for chunk in values.chunks(IN_CHUNK) {
            // Which customer holds each value: our own ids are theirs (or, merged away, their
            // survivor's), other identifiers are
            // looked up where their owners are kept (one shard per value on Citus).
            let holders: Vec<(String, String)> = if kind == IdentifierKind::CustomerId {
                let merged: HashMap<String, String> = crate::identity::db::survivors(conn, chunk)
                    .await?
                    .into_iter()
                    .collect();
                chunk
                    .iter()
                    .map(|id| (id.clone(), merged.get(id).unwrap_or(id).clone()))
                    .collect()
            } else if kind == IdentifierKind::ExternalId {
                // Looked up in the stored form (lower case when the organisation ignores case).
                let fold = |v: &str| crate::identity::fold_external_id(v, external_ids_ignore_case);
                let keys: Vec<String> = chunk.iter().map(|v| fold(v)).collect();
                let held: HashMap<String, String> =
                    crate::identity::db::owners(conn, column, &keys)
                        .await?
                        .into_iter()
                        .collect();
                chunk
                    .iter()
                    .filter_map(|v| held.get(&fold(v)).map(|id| (v.clone(), id.clone())))
                    .collect()
            } else {
                crate::identity::db::owners(conn, column, chunk).await?
            };
            if holders.is_empty() {
                continue;
            }
            let sql = format!(
                "SELECT {aggregate} FROM customers WHERE id IN ({})",
                list_placeholders(backend, 1, holders.len())
            );
            let mut query = sqlx::query_scalar::<_, Option<String>>(&sql);
            for (_, id) in &holders {
                query = query.bind(id.clone());
            }
            let Some(json) = query.fetch_one(&mut *conn).await? else {
                continue;
            };
            let rows: Vec<(String, Option<String>, Option<i64>)> =
                serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            let by_id: HashMap<String, (Option<String>, bool)> = rows
                .into_iter()
                .map(|(id, tier, restricted_at)| (id, (tier, restricted_at.is_some())))
                .collect();
            for (value, id) in holders {
                if let Some((tier, restricted)) = by_id.get(&id) {
                    found.insert((kind, value), (id, tier.clone(), *restricted));
                }
            }
        }
    }
    Ok(found)
}

async fn lookup(
    backend: Backend,
    conn: &mut AnyConnection,
    sql_head: &str,
    mut keys: Vec<String>,
) -> Result<HashMap<String, Vec<String>>, sqlx::Error> {
    keys.sort_unstable();
    keys.dedup();
    let mut found = HashMap::new();
    for chunk in keys.chunks(IN_CHUNK) {
        let sql = format!(
            "{sql_head} ({})",
            list_placeholders(backend, 1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for key in chunk {
            query = query.bind(key.clone());
        }
        for row in query.fetch_all(&mut *conn).await? {
            let values = (1..row.len())
                .map(|i| row.try_get::<String, _>(i))
                .collect::<Result<Vec<_>, _>>()?;
            found.insert(row.try_get(0)?, values);
        }
    }
    Ok(found)
}

async fn stores(
    backend: Backend,
    conn: &mut AnyConnection,
    events: &[&ValidEvent],
) -> Result<HashMap<String, Vec<String>>, sqlx::Error> {
    let ids = events.iter().filter_map(|e| e.store_id.clone()).collect();
    lookup(
        backend,
        conn,
        "SELECT id, name, city FROM stores WHERE id IN",
        ids,
    )
    .await
}

async fn products(
    backend: Backend,
    conn: &mut AnyConnection,
    events: &[&ValidEvent],
) -> Result<HashMap<String, Vec<String>>, sqlx::Error> {
    let skus = events
        .iter()
        .filter_map(|e| e.payload.get("items").and_then(Value::as_array))
        .flatten()
        .filter_map(|item| item.get("sku").and_then(Value::as_str).map(str::to_string))
        .collect();
    lookup(
        backend,
        conn,
        "SELECT id, name FROM products WHERE id IN",
        skus,
    )
    .await
}

/// The answer for an event whose identifier no customer holds.
fn unknown_customer(event: &ValidEvent) -> Outcome {
    let kind = event.customer.kind;
    Outcome::Rejected {
        errors: vec![FieldError::about_customer(
            format!("customer.{}", kind.name()),
            format!("no customer has this {}", kind.noun()),
        )],
    }
}

/// `event`'s payload with its store's and products' names written in, so the record reads
/// the same after the catalogue changes; an unknown store or SKU is refused. Depends on
/// nothing stored about the customer.
fn catalogued(
    event: &ValidEvent,
    stores: &HashMap<String, Vec<String>>,
    products: &HashMap<String, Vec<String>>,
) -> Result<serde_json::Map<String, Value>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut payload = event.payload.clone();
    if let Some(store_id) = &event.store_id {
        match stores.get(store_id).map(Vec::as_slice) {
            Some([name, city]) => {
                payload.insert("store_name".into(), json!(name));
                payload.insert("store_city".into(), json!(city));
            }
            _ => errors.push(FieldError::new("store_id", "no store has this id")),
        }
    }
    if let Some(Value::Array(items)) = payload.get_mut("items") {
        for (i, item) in items.iter_mut().enumerate() {
            let sku = item.get("sku").and_then(Value::as_str).unwrap_or_default();
            // A sender's own title names an item the catalogue does not hold (a web shop's
            // SKU); without one an unknown SKU is refused as a likely typo.
            let title = item
                .get("title")
                .and_then(Value::as_str)
                .map(str::to_string);
            match (products.get(sku).and_then(|v| v.first()), title) {
                (Some(name), _) => item["name"] = json!(name),
                (None, Some(title)) => item["name"] = json!(title),
                (None, None) => errors.push(FieldError::new(
                    format!("payload.items[{i}].sku"),
                    "no product in the catalogue has this sku (send a title to record it anyway)",
                )),
            }
        }
    }
    if errors.is_empty() {
        Ok(payload)
    } else {
        Err(errors)
    }
}

/// The event as stored for `customer_id`, with the customer's tier at the time written in.
fn stored_form(
    event: &ValidEvent,
    mut payload: serde_json::Map<String, Value>,
    customer_id: &str,
    tier: Option<&str>,
    now: i64,
) -> NewEvent {
    if let Some(tier) = tier {
        payload.insert("customer_tier".into(), json!(tier));
    }
    NewEvent {
        id: uuid::Uuid::now_v7().to_string(),
        customer_id: customer_id.to_string(),
        client_event_id: Some(event.client_event_id.clone()),
        event_type: event.event_type.to_string(),
        source: event.source.clone(),
        occurred_at: event.occurred_at,
        received_at: now,
        store_id: event.store_id.clone(),
        amount_cents: event.amount_cents,
        points_delta: event.points_delta,
        payload: Value::Object(payload),
    }
}

/// The ids of events stored before under the `(customer_id, client_event_id)` of each event
/// of `events` that `inserted` does not hold.
async fn earlier_ids(
    tx: &mut Transaction<'_, Any>,
    events: &[NewEvent],
    inserted: &HashSet<String>,
) -> Result<HashMap<(String, String), String>, sqlx::Error> {
    let repeats: Vec<&NewEvent> = events
        .iter()
        .filter(|e| !inserted.contains(&e.id))
        .collect();
    let mut found = HashMap::new();
    let backend = Backend::of(tx);
    for chunk in repeats.chunks(IN_CHUNK / 2) {
        let sql = format!(
            "SELECT id, customer_id, client_event_id FROM events \
             WHERE customer_id IN ({}) AND client_event_id IN ({})",
            list_placeholders(backend, 1, chunk.len()),
            list_placeholders(backend, chunk.len() + 1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for e in chunk {
            query = query.bind(e.customer_id.clone());
        }
        for e in chunk {
            query = query.bind(e.client_event_id.clone());
        }
        for row in query.fetch_all(&mut **tx).await? {
            found.insert(
                (row.try_get("customer_id")?, row.try_get("client_event_id")?),
                row.try_get("id")?,
            );
        }
    }
    Ok(found)
}
