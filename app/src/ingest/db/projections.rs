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

/// On PostgreSQL, locks the rows of the customers in `groups` ([`shard_groups`]: one per
/// shard on Citus, the only way Citus locks rows), group after group and in id order within
/// each, so concurrent batches touching the same customers queue instead of deadlocking (their
/// multi-row updates would otherwise lock rows in whatever order the join visits them).
/// Returns the ids that still exist: a merge or forget may have removed one since it matched.
/// On SQLite, none can have: the callers read these customers in `tx`, which has held the one
/// write lock since it began, so no statement is needed.
///
/// [`shard_groups`]: crate::store::shard_groups
pub async fn lock_customers(
    tx: &mut Transaction<'_, Any>,
    groups: &[Vec<&str>],
) -> Result<HashSet<String>, sqlx::Error> {
    let backend = Backend::of(tx);
    if backend == Backend::Sqlite {
        return Ok(groups.iter().flatten().map(|id| id.to_string()).collect());
    }
    let mut present = HashSet::new();
    for group in groups {
        let sql = format!(
            "SELECT id FROM customers WHERE id IN ({}) ORDER BY id FOR UPDATE",
            crate::store::list_placeholders(backend, 1, group.len())
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for id in group {
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

/// Points refused or settled one event at a time: the events refused (with the balance they
/// met) and the customers whose balance already moved.
#[derive(Default)]
pub struct PointsSettled {
    /// Refused event ids with the balance they would have taken below zero.
    pub refused: HashMap<String, i64>,
    /// Customers whose balance moved event by event ([`apply_projections`] leaves it).
    pub customers: HashSet<String>,
}

/// Finds the customers whose events would take their points balance below zero (usually
/// none) and takes their events one by one, refusing (and removing) the ones that would — a
/// refund instead takes back what is left. Everyone else's balance moves in
/// [`apply_projections`]'s one statement per group.
pub async fn settle_short_points(
    tx: &mut Transaction<'_, Any>,
    stored: &[&NewEvent],
) -> Result<PointsSettled, sqlx::Error> {
    let mut per_customer: BTreeMap<&str, Vec<&NewEvent>> = BTreeMap::new();
    for event in stored.iter().filter(|e| e.points_delta.is_some()) {
        per_customer
            .entry(&event.customer_id)
            .or_default()
            .push(event);
    }
    let dipping: Vec<(&str, i64)> = per_customer
        .iter()
        .filter_map(|(customer_id, events)| {
            let (mut total, mut lowest) = (0i64, 0i64);
            for event in events {
                total += event.points_delta.unwrap_or(0);
                lowest = lowest.min(total);
            }
            (lowest < 0).then_some((*customer_id, lowest))
        })
        .collect();
    let backend = Backend::of(tx);
    let mut settled = PointsSettled::default();
    for chunk in dipping.chunks(CHUNK) {
        let sql = format!(
            "WITH v(cid, lowest) AS (VALUES {}) SELECT customers.id FROM customers \
             JOIN v ON customers.id = v.cid WHERE customers.points_balance + v.lowest < 0",
            values_placeholders(backend, chunk.len(), 2)
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for (customer_id, lowest) in chunk {
            query = query.bind(*customer_id).bind(*lowest);
        }
        settled.customers.extend(query.fetch_all(&mut **tx).await?);
    }
    for (customer_id, events) in per_customer {
        if settled.customers.contains(customer_id) {
            one_by_one(tx, customer_id, &events, &mut settled.refused).await?;
        }
    }
    Ok(settled)
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

/// What a batch's events move on one customer's row.
#[derive(Default)]
struct RowChange<'a> {
    points: i64,
    purchases: i64,
    last_active: i64,
    /// The latest tier an event put them in, and when.
    tier: Option<(i64, &'a str)>,
}

/// Each customer's [`RowChange`] from `stored` (points left out for `settled` customers).
fn row_changes<'a>(
    stored: &[&'a NewEvent],
    settled: &HashSet<String>,
) -> HashMap<&'a str, RowChange<'a>> {
    let mut changes: HashMap<&str, RowChange> = HashMap::new();
    for event in stored {
        let change = changes.entry(&event.customer_id).or_default();
        change.last_active = change.last_active.max(event.occurred_at);
        if !settled.contains(&event.customer_id) {
            change.points += event.points_delta.unwrap_or(0);
        }
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
    changes
}

/// The statement moving one group's rows: `rows` rows of [`RowChange`] in `VALUES`, then
/// `now`, then (`routed`, on Citus) the group's ids again, which route it to their shard.
fn row_changes_sql(backend: Backend, rows: usize, routed: bool) -> String {
    let route = if routed {
        format!(
            " AND customers.id IN ({})",
            crate::store::list_placeholders(backend, rows * 6 + 2, rows)
        )
    } else {
        String::new()
    };
    let tier_moves =
        "v.tier IS NOT NULL AND (customers.tier_since IS NULL OR customers.tier_since <= v.tier_at)";
    format!(
        "WITH v(cid, points, purchases, last_active, tier, tier_at) AS (VALUES {}) \
         UPDATE customers SET points_balance = customers.points_balance + v.points, \
         purchase_count = customers.purchase_count + v.purchases, updated_at = {}, \
         last_active_at = CASE WHEN customers.last_active_at IS NULL \
                          OR customers.last_active_at < v.last_active \
                          THEN v.last_active ELSE customers.last_active_at END, \
         tier = CASE WHEN {tier_moves} THEN v.tier ELSE customers.tier END, \
         tier_since = CASE WHEN {tier_moves} THEN v.tier_at ELSE customers.tier_since END \
         FROM v WHERE customers.id = v.cid{route}",
        values_placeholders(backend, rows, 6),
        crate::store::list_placeholders(backend, rows * 6 + 1, 1),
    )
}

/// Points (but `settled` customers'), purchases, last activity, tier and tag counts of the
/// customers in `stored`: one statement per group of [`lock_customers`]'s `groups`
/// (`routed`: each pinned to its shard on Citus), then offers, attributes and tags.
pub async fn apply_projections(
    tx: &mut Transaction<'_, Any>,
    groups: &[Vec<&str>],
    routed: bool,
    stored: &[&NewEvent],
    settled: &HashSet<String>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let changes = row_changes(stored, settled);
    let backend = Backend::of(tx);
    for group in groups {
        let rows: Vec<(&str, &RowChange)> = group
            .iter()
            .filter_map(|id| changes.get(id).map(|change| (*id, change)))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let sql = row_changes_sql(backend, rows.len(), routed);
        let mut query = sqlx::query(&sql);
        for (id, change) in &rows {
            query = query
                .bind(*id)
                .bind(change.points)
                .bind(change.purchases)
                .bind(change.last_active)
                .bind(change.tier.map(|(_, tier)| tier))
                .bind(change.tier.map(|(at, _)| at));
        }
        query = query.bind(now);
        if routed {
            for (id, _) in &rows {
                query = query.bind(*id);
            }
        }
        query.execute(&mut **tx).await?;
    }
    redeem_offers(tx, stored).await?;
    apply_attributes(tx, stored).await?;
    let counts = crate::tags::counts::counts_of(stored.iter().copied());
    crate::tags::db::add_counts(tx, &counts).await
}

/// Marks redeemed the held offer each `offer_redeemed` event of `stored` names, oldest event
/// first; one statement finds who holds any open offer at all (most redemptions at a till are
/// of public offers), then one per redemption by a holder.
async fn redeem_offers(
    tx: &mut Transaction<'_, Any>,
    stored: &[&NewEvent],
) -> Result<(), sqlx::Error> {
    let mut redemptions: Vec<(&NewEvent, &str)> = stored
        .iter()
        .filter(|e| e.event_type == "offer_redeemed")
        .filter_map(|e| Some((*e, e.payload.get("offer")?.as_str()?)))
        .collect();
    if redemptions.is_empty() {
        return Ok(());
    }
    redemptions.sort_by_key(|(e, _)| e.occurred_at);
    let mut ids: Vec<&str> = redemptions
        .iter()
        .map(|(e, _)| e.customer_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let holding = crate::offers::db::holding_open_offers(tx, &ids).await?;
    for (event, offer) in redemptions {
        if holding.contains(&event.customer_id) {
            crate::offers::db::redeem_held(tx, &event.customer_id, offer, event.occurred_at)
                .await?;
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::row_changes;
    use crate::events::NewEvent;
    use std::collections::HashSet;

    fn event(customer: &str, kind: &str, at: i64, points: Option<i64>) -> NewEvent {
        let payload = serde_json::json!({"tier": format!("tier at {at}")});
        let mut event = NewEvent::console(customer, kind, at, payload);
        event.points_delta = points;
        event
    }

    #[test]
    fn one_row_change_per_customer_with_settled_points_left_out() {
        let events = [
            event("a", "purchase", 10, Some(5)),
            event("a", "points_earned", 30, Some(7)),
            event("a", "tier_promoted", 20, None),
            event("a", "tier_demoted", 15, None),
            event("b", "purchase", 40, Some(-3)),
        ];
        let stored: Vec<&NewEvent> = events.iter().collect();
        let settled: HashSet<String> = ["b".to_string()].into();
        let changes = row_changes(&stored, &settled);
        let a = &changes["a"];
        assert_eq!((a.points, a.purchases, a.last_active), (12, 1, 30));
        assert_eq!(a.tier, Some((20, "tier at 20")));
        let b = &changes["b"];
        assert_eq!((b.points, b.purchases, b.last_active), (0, 1, 40));
        assert_eq!(b.tier, None);
    }
}
