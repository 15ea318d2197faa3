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
use projections::{apply_projections, lock_customers, settle_short_points};
use serde_json::Value;
use sqlx::{Any, AnyConnection, Row, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Largest `IN (…)` list per statement.
const IN_CHUNK: usize = 500;

/// Stores `events` (matched and enriched, no two with the same customer and `event_id`
/// unless a repeat is meant to be answered as one) in `tx` with their projections: points
/// balances, purchases, spend, last activity, tier and tag counts, then the tier rules for
/// customers whose qualifying points grew. One answer per event, in order. `citus`: the
/// customers are locked and updated shard by shard.
pub async fn store_events(
    tx: &mut Transaction<'_, Any>,
    events: &[&NewEvent],
    tier_rules: &crate::tiers::model::TierRules,
    citus: bool,
    now: i64,
) -> Result<Vec<Stored>, sqlx::Error> {
    let ids: BTreeSet<&str> = events.iter().map(|e| e.customer_id.as_str()).collect();
    let ids: Vec<&str> = ids.into_iter().collect();
    let groups = crate::store::shard_groups(tx, "customers", &ids, citus, IN_CHUNK).await?;
    let present = lock_customers(tx, &groups).await?;
    // A merge or forget that committed after the events were matched removed their customer:
    // those events alone are refused.
    let kept: Vec<&NewEvent> = events
        .iter()
        .copied()
        .filter(|e| present.contains(&e.customer_id))
        .collect();
    let inserted = insert_by_group(tx, &kept, &groups, citus).await?;
    let earlier = earlier_ids(tx, &kept, &inserted).await?;
    let mut stored: Vec<&NewEvent> = kept
        .iter()
        .copied()
        .filter(|e| inserted.contains(&e.id))
        .collect();
    let settled = settle_short_points(tx, &stored).await?;
    let below_zero = settled.refused;
    stored.retain(|e| !below_zero.contains_key(&e.id));
    apply_projections(tx, &groups, citus, &stored, &settled.customers, now).await?;
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

/// Inserts `events` (new ones; repeats are skipped) and returns the ids inserted: on Citus one
/// statement per shard group of `groups`, each routed to its shard (one multi-shard insert is
/// split by the coordinator, which costs more than the inserts themselves), elsewhere at once.
async fn insert_by_group(
    tx: &mut Transaction<'_, Any>,
    events: &[&NewEvent],
    groups: &[Vec<&str>],
    citus: bool,
) -> Result<HashSet<String>, sqlx::Error> {
    let mut by_group: BTreeMap<usize, Vec<&NewEvent>> = BTreeMap::new();
    if citus {
        let group_of: HashMap<&str, usize> = groups
            .iter()
            .enumerate()
            .flat_map(|(n, group)| group.iter().map(move |id| (*id, n)))
            .collect();
        for event in events {
            let group = group_of.get(event.customer_id.as_str()).copied();
            by_group
                .entry(group.unwrap_or_default())
                .or_default()
                .push(*event);
        }
    } else {
        by_group.insert(0, events.to_vec());
    }
    let mut inserted = HashSet::with_capacity(events.len());
    for events in by_group.values() {
        inserted.extend(crate::events::db::insert_new(tx, events).await?);
    }
    Ok(inserted)
}

/// A matched customer: id, tier at the time, and whether their processing is restricted.
pub type MatchedCustomer = (String, Option<String>, bool);

/// The customer holding each event's identifier, by `(kind, value as sent)`: our own ids are
/// theirs (or, merged away, their survivor's); external ids are looked up in their stored form.
/// `citus`: each lookup names one shard's values.
pub async fn customers_holding(
    backend: Backend,
    conn: &mut AnyConnection,
    events: &[&ValidEvent],
    external_ids_ignore_case: bool,
    citus: bool,
) -> Result<HashMap<(IdentifierKind, String), MatchedCustomer>, sqlx::Error> {
    let mut by_kind: BTreeMap<&'static str, (IdentifierKind, Vec<String>)> = BTreeMap::new();
    for event in events {
        let Identifier { kind, value } = &event.customer;
        let values = &mut by_kind.entry(kind.name()).or_insert((*kind, Vec::new())).1;
        values.push(value.clone());
    }
    let mut holders = Vec::new();
    for (column, (kind, mut values)) in by_kind {
        values.sort_unstable();
        values.dedup();
        let found = holders_of(conn, kind, column, &values, external_ids_ignore_case, citus);
        holders.extend(
            found
                .await?
                .into_iter()
                .map(|(value, id)| (kind, value, id)),
        );
    }
    let mut ids: Vec<&str> = holders.iter().map(|(_, _, id)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut by_id = HashMap::new();
    for group in crate::store::shard_groups(conn, "customers", &ids, citus, IN_CHUNK).await? {
        by_id.extend(customers_by_id(backend, conn, &group).await?);
    }
    Ok(holders
        .into_iter()
        .filter_map(|(kind, value, id)| {
            let (tier, restricted) = by_id.get(&id)?.clone();
            Some(((kind, value), (id, tier, restricted)))
        })
        .collect())
}

/// `(value, customer id)` for each of `values` of `kind` a customer holds, the values looked
/// up a shard at a time on Citus.
async fn holders_of(
    conn: &mut AnyConnection,
    kind: IdentifierKind,
    column: &str,
    values: &[String],
    external_ids_ignore_case: bool,
    citus: bool,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let fold = |v: &str| match kind {
        IdentifierKind::ExternalId => {
            crate::identity::fold_external_id(v, external_ids_ignore_case)
        }
        _ => v.to_string(),
    };
    if kind == IdentifierKind::CustomerId {
        let mut found = Vec::with_capacity(values.len());
        for chunk in values.chunks(IN_CHUNK) {
            let merged: HashMap<String, String> = crate::identity::db::survivors(conn, chunk)
                .await?
                .into_iter()
                .collect();
            found.extend(
                chunk
                    .iter()
                    .map(|id| (id.clone(), merged.get(id).unwrap_or(id).clone())),
            );
        }
        return Ok(found);
    }
    let mut keys: Vec<String> = values.iter().map(|v| fold(v)).collect();
    keys.sort_unstable();
    keys.dedup();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let held: HashMap<String, String> =
        crate::identity::db::owners_by_shard(conn, column, &keys, citus)
            .await?
            .into_iter()
            .collect();
    Ok(values
        .iter()
        .filter_map(|v| held.get(&fold(v)).map(|id| (v.clone(), id.clone())))
        .collect())
}

/// Tier and restriction of each customer of `ids`, by id. One row per call, the matches as a
/// JSON array: sqlx's SQLite driver hands each row across threads, and a thousand rows cost
/// several times the lookups themselves.
async fn customers_by_id(
    backend: Backend,
    conn: &mut AnyConnection,
    ids: &[&str],
) -> Result<HashMap<String, (Option<String>, bool)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let aggregate = match backend {
        Backend::Sqlite => "json_group_array(json_array(id, tier, restricted_at))",
        Backend::Postgres => "CAST(json_agg(json_build_array(id, tier, restricted_at)) AS TEXT)",
    };
    let sql = format!(
        "SELECT {aggregate} FROM customers WHERE id IN ({})",
        list_placeholders(backend, 1, ids.len())
    );
    let mut query = sqlx::query_scalar::<_, Option<String>>(&sql);
    for id in ids {
        query = query.bind(*id);
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

/// Each geofence the events name: id → name.
pub async fn geofences(
    backend: Backend,
    conn: &mut AnyConnection,
    events: &[&ValidEvent],
) -> Result<HashMap<String, String>, sqlx::Error> {
    let mut ids: Vec<&str> = events
        .iter()
        .filter_map(|e| super::matching::geofence_id(e))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    crate::geofences::db::names(backend, conn, &ids).await
}

/// The ids of events stored before under the `(customer_id, client_event_id)` of each event
/// of `events` that `inserted` does not hold.
async fn earlier_ids(
    tx: &mut Transaction<'_, Any>,
    events: &[&NewEvent],
    inserted: &HashSet<String>,
) -> Result<HashMap<(String, String), String>, sqlx::Error> {
    let repeats: Vec<&NewEvent> = events
        .iter()
        .copied()
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
