//! SQL for the projections an ingested batch updates: points balances (never below zero),
//! purchases, spend and last activity, tier, and (through `tags`) tag counts. Each is a few multi-row
//! statements per batch, not one per customer: per-statement overhead is what limits ingest.

use crate::events::NewEvent;
use crate::store::{values_placeholders, Backend};
use serde_json::Value;
use sqlx::{Any, Transaction};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Customers per multi-row statement.
const CHUNK: usize = 500;

/// On PostgreSQL, locks the rows of every customer in `stored` in id order, so concurrent
/// batches touching the same customers queue instead of deadlocking (their multi-row updates
/// would otherwise lock rows in whatever order the join visits them). SQLite has one writer.
/// Citus locks rows only in single-shard statements: `one_by_one` locks each customer in turn.
/// Returns the ids that still exist: a merge or forget may have removed one since it matched.
pub async fn lock_customers(
    tx: &mut Transaction<'_, Any>,
    stored: &[&NewEvent],
    one_by_one: bool,
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    let backend = Backend::of(tx);
    let ids: std::collections::BTreeSet<&str> =
        stored.iter().map(|e| e.customer_id.as_str()).collect();
    let ids: Vec<&str> = ids.into_iter().collect();
    // SQLite's write lock is already held: reading which rows exist is enough.
    let (chunk_size, lock) = match backend {
        Backend::Postgres if one_by_one => (1, " FOR UPDATE"),
        Backend::Postgres => (CHUNK, " FOR UPDATE"),
        Backend::Sqlite => (CHUNK, ""),
    };
    let mut present = std::collections::HashSet::with_capacity(ids.len());
    for chunk in ids.chunks(chunk_size) {
        let sql = format!(
            "SELECT id FROM customers WHERE id IN ({}) ORDER BY id{lock}",
            crate::store::list_placeholders(backend, 1, chunk.len())
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        present.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(present)
}

/// Adds the events refused because a customer is restricted to their count.
pub async fn count_refusals(
    tx: &mut Transaction<'_, Any>,
    refused: &BTreeMap<String, i64>,
) -> Result<(), sqlx::Error> {
    for (customer_id, count) in refused {
        sqlx::query(
            "UPDATE customers SET refused_while_restricted = refused_while_restricted + $1 \
             WHERE id = $2",
        )
        .bind(*count)
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Moves points balances: finds the customers whose events would take the balance below
/// zero (usually none), moves everyone else's in one statement, then takes those customers'
/// events one by one, refusing (and removing) the ones that would — a refund instead takes back
/// what is left. Returns the refused event
/// ids with the balance they met. No statement returns a row per customer: that is what costs
/// most on SQLite.
pub async fn apply_points(
    tx: &mut Transaction<'_, Any>,
    stored: &[&NewEvent],
) -> Result<HashMap<String, i64>, sqlx::Error> {
    let mut per_customer: BTreeMap<&str, Vec<&NewEvent>> = BTreeMap::new();
    for event in stored.iter().filter(|e| e.points_delta.is_some()) {
        per_customer
            .entry(&event.customer_id)
            .or_default()
            .push(event);
    }
    let sums: Vec<(&str, i64, i64)> = per_customer
        .iter()
        .map(|(customer_id, events)| {
            let (mut total, mut lowest) = (0i64, 0i64);
            for event in events {
                total += event.points_delta.unwrap_or(0);
                lowest = lowest.min(total);
            }
            (*customer_id, total, lowest)
        })
        .collect();
    let backend = Backend::of(tx);
    let mut short: HashSet<String> = HashSet::new();
    let dipping: Vec<&(&str, i64, i64)> = sums.iter().filter(|(_, _, low)| *low < 0).collect();
    for chunk in dipping.chunks(CHUNK) {
        let sql = format!(
            "WITH v(cid, lowest) AS (VALUES {}) SELECT customers.id FROM customers \
             JOIN v ON customers.id = v.cid WHERE customers.points_balance + v.lowest < 0",
            values_placeholders(backend, chunk.len(), 2)
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for (customer_id, _, lowest) in chunk {
            query = query.bind(*customer_id).bind(*lowest);
        }
        short.extend(query.fetch_all(&mut **tx).await?);
    }
    let moving: Vec<&(&str, i64, i64)> = sums
        .iter()
        .filter(|(id, total, _)| *total != 0 && !short.contains(*id))
        .collect();
    for chunk in moving.chunks(CHUNK) {
        let sql = format!(
            "WITH v(cid, total) AS (VALUES {}) \
             UPDATE customers SET points_balance = points_balance + v.total FROM v \
             WHERE customers.id = v.cid",
            values_placeholders(backend, chunk.len(), 2)
        );
        let mut query = sqlx::query(&sql);
        for (customer_id, total, _) in chunk {
            query = query.bind(*customer_id).bind(*total);
        }
        query.execute(&mut **tx).await?;
    }
    let mut refused = HashMap::new();
    for (customer_id, events) in per_customer {
        if short.contains(customer_id) {
            one_by_one(tx, customer_id, &events, &mut refused).await?;
        }
    }
    Ok(refused)
}

async fn one_by_one(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    events: &[&NewEvent],
    refused: &mut HashMap<String, i64>,
) -> Result<(), sqlx::Error> {
    for event in events {
        let done = sqlx::query(
            "UPDATE customers SET points_balance = points_balance + $1 \
             WHERE id = $2 AND points_balance + $1 >= 0",
        )
        .bind(event.points_delta.unwrap_or(0))
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            let balance: i64 =
                sqlx::query_scalar("SELECT points_balance FROM customers WHERE id = $1")
                    .bind(customer_id)
                    .fetch_one(&mut **tx)
                    .await?;
            if crate::ingest::schema::takes_what_is_left(&event.event_type) {
                take_back_what_is_left(tx, customer_id, &event.id, balance).await?;
                continue;
            }
            sqlx::query("DELETE FROM events WHERE customer_id = $1 AND id = $2")
                .bind(customer_id)
                .bind(&event.id)
                .execute(&mut **tx)
                .await?;
            refused.insert(event.id.clone(), balance);
        }
    }
    Ok(())
}

/// An event that [`takes_what_is_left`](crate::ingest::schema::takes_what_is_left) takes
/// `balance` (all there is) and records that much.
async fn take_back_what_is_left(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    event_id: &str,
    balance: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE customers SET points_balance = points_balance - $1 WHERE id = $2")
        .bind(balance)
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE events SET points_delta = $1 WHERE customer_id = $2 AND id = $3")
        .bind((balance > 0).then_some(-balance))
        .bind(customer_id)
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Purchases, last activity, tier and tag counts of the customers in `stored`.
pub async fn apply_projections(
    tx: &mut Transaction<'_, Any>,
    stored: &[&NewEvent],
    now: i64,
) -> Result<(), sqlx::Error> {
    #[derive(Default)]
    struct Change<'a> {
        purchases: i64,
        last_active: i64,
        tier: Option<(i64, &'a str)>,
    }
    let mut changes: BTreeMap<&str, Change> = BTreeMap::new();
    for event in stored {
        let change = changes.entry(&event.customer_id).or_default();
        change.last_active = change.last_active.max(event.occurred_at);
        match event.event_type.as_str() {
            "purchase" => change.purchases += 1,
            "tier_promoted" | "tier_demoted" => {
                if let Some(tier) = event.payload.get("tier").and_then(Value::as_str) {
                    if change.tier.is_none_or(|(at, _)| at <= event.occurred_at) {
                        change.tier = Some((event.occurred_at, tier));
                    }
                }
            }
            _ => {}
        }
    }
    let backend = Backend::of(tx);
    let rows: Vec<(&&str, &Change)> = changes.iter().collect();
    for chunk in rows.chunks(CHUNK) {
        let now_param = match backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${}", chunk.len() * 3 + 1),
        };
        let sql = format!(
            "WITH v(cid, purchases, last_active) AS (VALUES {}) \
             UPDATE customers SET purchase_count = purchase_count + v.purchases, \
             updated_at = {now_param}, \
             last_active_at = CASE WHEN last_active_at IS NULL OR last_active_at < v.last_active \
                              THEN v.last_active ELSE last_active_at END \
             FROM v WHERE customers.id = v.cid",
            values_placeholders(backend, chunk.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for (customer_id, change) in chunk {
            query = query
                .bind(**customer_id)
                .bind(change.purchases)
                .bind(change.last_active);
        }
        query.bind(now).execute(&mut **tx).await?;
    }
    for (customer_id, change) in &changes {
        if let Some((at, tier)) = change.tier {
            sqlx::query(
                "UPDATE customers SET tier = $1, tier_since = $2 \
                 WHERE id = $3 AND (tier_since IS NULL OR tier_since <= $2)",
            )
            .bind(tier)
            .bind(at)
            .bind(*customer_id)
            .execute(&mut **tx)
            .await?;
        }
    }
    for event in stored.iter().filter(|e| e.event_type == "offer_redeemed") {
        if let Some(offer) = event.payload.get("offer").and_then(Value::as_str) {
            crate::offers::db::redeem_held(tx, &event.customer_id, offer, event.occurred_at)
                .await?;
        }
    }
    apply_attributes(tx, stored).await?;
    let counts = crate::tags::counts::counts_of(stored.iter().copied());
    crate::tags::db::add_counts(tx, &counts).await
}

/// Sets and removes the profile attributes `profile_updated` events carry (their values
/// checked and in stored form), oldest first, each as of when it happened.
async fn apply_attributes(
    tx: &mut Transaction<'_, Any>,
    stored: &[&NewEvent],
) -> Result<(), sqlx::Error> {
    let mut updates: Vec<&NewEvent> = stored
        .iter()
        .copied()
        .filter(|e| e.event_type == "profile_updated")
        .collect();
    updates.sort_by_key(|e| e.occurred_at);
    for event in updates {
        let Some(payload) = event.payload.as_object() else {
            continue;
        };
        for (name, value) in payload {
            if crate::attributes::RESERVED_KEYS.contains(&name.as_str()) {
                continue;
            }
            let value = value.as_str();
            crate::attributes::db::set_value(
                tx,
                &event.customer_id,
                name,
                value,
                event.occurred_at,
            )
            .await?;
        }
    }
    Ok(())
}
