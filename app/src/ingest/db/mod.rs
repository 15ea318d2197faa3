//! SQL of the ingest pipeline: the lookups matching and enriching read (customers holding
//! identifiers, stores, products), and storing a batch's events with the projections they
//! move (points, purchases, tier, tags, last active) in the same transaction.

mod projections;

pub use projections::count_refusals;

use super::matching::Stored;
use super::validate::ValidEvent;
use crate::events::NewEvent;
use crate::identity::{Identifier, IdentifierKind};
use crate::store::{list_placeholders, Backend};
use projections::{apply_points, apply_projections, lock_customers};
use serde_json::Value;
use sqlx::{Any, AnyConnection, Row, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Largest `IN (…)` list per statement.
const IN_CHUNK: usize = 500;

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

/// A matched customer: id, tier at the time, and whether their processing is restricted.
pub type MatchedCustomer = (String, Option<String>, bool);

/// The customer holding each event's identifier, by `(kind, value as sent)`: our own ids are
/// theirs (or, merged away, their survivor's); external ids are looked up in their stored form.
pub async fn customers_holding(
    backend: Backend,
    conn: &mut AnyConnection,
    events: &[&ValidEvent],
    external_ids_ignore_case: bool,
) -> Result<HashMap<(IdentifierKind, String), MatchedCustomer>, sqlx::Error> {
    let mut by_kind: BTreeMap<&'static str, (IdentifierKind, Vec<String>)> = BTreeMap::new();
    for event in events {
        let Identifier { kind, value } = &event.customer;
        let values = &mut by_kind.entry(kind.name()).or_insert((*kind, Vec::new())).1;
        values.push(value.clone());
    }
    let mut found = HashMap::new();
    for (column, (kind, mut values)) in by_kind {
        values.sort_unstable();
        values.dedup();
        for chunk in values.chunks(IN_CHUNK) {
            let holders = holders(conn, kind, column, chunk, external_ids_ignore_case).await?;
            let by_id = customers_by_id(backend, conn, &holders).await?;
            for (value, id) in holders {
                if let Some((tier, restricted)) = by_id.get(&id) {
                    found.insert((kind, value), (id, tier.clone(), *restricted));
                }
            }
        }
    }
    Ok(found)
}

/// `(value, customer id)` for each of `values` of `kind` a customer holds (one shard per value
/// on Citus).
async fn holders(
    conn: &mut AnyConnection,
    kind: IdentifierKind,
    column: &str,
    values: &[String],
    external_ids_ignore_case: bool,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    match kind {
        IdentifierKind::CustomerId => {
            let merged: HashMap<String, String> = crate::identity::db::survivors(conn, values)
                .await?
                .into_iter()
                .collect();
            let holder = |id: &String| (id.clone(), merged.get(id).unwrap_or(id).clone());
            Ok(values.iter().map(holder).collect())
        }
        IdentifierKind::ExternalId => {
            let fold = |v: &str| crate::identity::fold_external_id(v, external_ids_ignore_case);
            let keys: Vec<String> = values.iter().map(|v| fold(v)).collect();
            let held: HashMap<String, String> = crate::identity::db::owners(conn, column, &keys)
                .await?
                .into_iter()
                .collect();
            let holder = |v: &String| held.get(&fold(v)).map(|id| (v.clone(), id.clone()));
            Ok(values.iter().filter_map(holder).collect())
        }
        _ => crate::identity::db::owners(conn, column, values).await,
    }
}

/// Tier and restriction of each holder's customer, by id. One row per call, the matches as a
/// JSON array: sqlx's SQLite driver hands each row across threads, and a thousand rows cost
/// several times the lookups themselves.
async fn customers_by_id(
    backend: Backend,
    conn: &mut AnyConnection,
    holders: &[(String, String)],
) -> Result<HashMap<String, (Option<String>, bool)>, sqlx::Error> {
    if holders.is_empty() {
        return Ok(HashMap::new());
    }
    let aggregate = match backend {
        Backend::Sqlite => "json_group_array(json_array(id, tier, restricted_at))",
        Backend::Postgres => "CAST(json_agg(json_build_array(id, tier, restricted_at)) AS TEXT)",
    };
    let sql = format!(
        "SELECT {aggregate} FROM customers WHERE id IN ({})",
        list_placeholders(backend, 1, holders.len())
    );
    let mut query = sqlx::query_scalar::<_, Option<String>>(&sql);
    for (_, id) in holders {
        query = query.bind(id.clone());
    }
    let Some(json) = query.fetch_one(&mut *conn).await? else {
        return Ok(HashMap::new());
    };
    let rows: Vec<(String, Option<String>, Option<i64>)> =
        serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(rows
        .into_iter()
        .map(|(id, tier, restricted_at)| (id, (tier, restricted_at.is_some())))
        .collect())
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

/// Each store the events name: id → [name, city].
pub async fn stores(
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

/// Each product the events' items name: SKU → [name].
pub async fn products(
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
