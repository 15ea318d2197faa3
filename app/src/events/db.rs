//! SQL for the event stream: keyset-paginated reads and batched inserts.

use super::describe::{describe, EventFacts};
use super::model::{EventPage, EventView, NewEvent};
use super::template::{field_list, EventTypeDef};
use crate::store::{list_placeholders, values_placeholders, Backend, Db};
use sqlx::{Any, FromRow, Transaction};
use std::collections::{BTreeSet, HashSet};

/// Events shown per page of the stream.
pub const PAGE_SIZE: usize = 50;

/// How many events one multi-row INSERT carries (11 parameters each).
pub const INSERT_BATCH: usize = 400;

#[derive(FromRow)]
struct EventRow {
    id: String,
    event_type: String,
    source: String,
    occurred_at: i64,
    amount_cents: Option<i64>,
    points_delta: Option<i64>,
    payload: String,
    store_name: Option<String>,
}

impl EventRow {
    fn view(self, registry: &[EventTypeDef]) -> EventView {
        let row = self;
        let payload = serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null);
        let def = registry.iter().find(|t| t.name == row.event_type);
        let (summary, details) = describe(
            def,
            &EventFacts {
                event_type: &row.event_type,
                store_name: row.store_name.as_deref(),
                amount_cents: row.amount_cents,
                points_delta: row.points_delta,
                source: &row.source,
                payload: &payload,
            },
        );
        EventView {
            id: row.id,
            event_type: row.event_type,
            occurred_at: row.occurred_at,
            summary,
            details,
        }
    }
}

/// Which of a customer's events a page shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    /// Only these types (all when empty).
    pub types: &'a [&'a str],
    /// Only events whose details, store or type (as its name or as the stream shows it,
    /// "points earned") contain this text (any case).
    pub search: Option<&'a str>,
}

/// One page of a customer's events, newest first, limited by `filter` and starting after the
/// `(occurred_at, id)` cursor `before`.
pub async fn page(
    db: &Db,
    customer_id: &str,
    filter: &Filter<'_>,
    before: Option<(i64, String)>,
    limit: usize,
) -> Result<EventPage, sqlx::Error> {
    let registry = registry(db).await?;
    let types = filter.types;
    let mut sql = String::from(
        "SELECT e.id, e.event_type, e.source, e.occurred_at, e.amount_cents, e.points_delta, \
                e.payload, s.name AS store_name \
         FROM events e LEFT JOIN stores s ON s.id = e.store_id WHERE e.customer_id = $1",
    );
    let mut next_param = 2;
    if !types.is_empty() {
        let list: Vec<String> = (0..types.len())
            .map(|i| format!("${}", next_param + i))
            .collect();
        sql.push_str(&format!(" AND e.event_type IN ({})", list.join(",")));
        next_param += types.len();
    }
    let patterns = filter
        .search
        .map(|text| (like_pattern(text), type_pattern(text)));
    if patterns.is_some() {
        sql.push_str(&format!(
            " AND (LOWER(e.payload) LIKE ${n} ESCAPE '\\' OR LOWER(s.name) LIKE ${n} ESCAPE '\\' \
             OR e.event_type LIKE ${t} ESCAPE '\\')",
            n = next_param,
            t = next_param + 1
        ));
        next_param += 2;
    }
    if before.is_some() {
        sql.push_str(&format!(
            " AND (e.occurred_at < ${t} OR (e.occurred_at = ${t} AND e.id < ${i}))",
            t = next_param,
            i = next_param + 1
        ));
        next_param += 2;
    }
    sql.push_str(&format!(
        " ORDER BY e.occurred_at DESC, e.id DESC LIMIT ${next_param}"
    ));
    // Not kept prepared: PostgreSQL's generic plan guesses 19 events for any customer and so
    // sorts all 100,000 of a customer with that many to show 50 (172 ms instead of 9 ms for a
    // search); planned with the customer's id, it walks the index in order.
    let mut query = sqlx::query_as::<_, EventRow>(&sql)
        .persistent(false)
        .bind(customer_id);
    for event_type in types {
        query = query.bind(*event_type);
    }
    if let Some((pattern, type_pattern)) = patterns {
        query = query.bind(pattern).bind(type_pattern);
    }
    if let Some((time, id)) = before {
        query = query.bind(time).bind(id);
    }
    let fetch = i64::try_from(limit + 1).unwrap_or(i64::MAX);
    let mut rows = query.bind(fetch).fetch_all(db.pool()).await?;
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| (r.occurred_at, r.id.clone()))
    } else {
        None
    };
    Ok(EventPage {
        events: rows.into_iter().map(|row| row.view(&registry)).collect(),
        next,
    })
}

/// `%text%` in lower case with `%`, `_` and backslash escaped (by a backslash).
fn like_pattern(text: &str) -> String {
    escaped_pattern(text, |c| c)
}

/// [`like_pattern`] for event type names, where a space matches the `_` between words: the
/// stream shows `points_earned` as "Points earned".
fn type_pattern(text: &str) -> String {
    escaped_pattern(text, |c| if c == ' ' { '_' } else { c })
}

fn escaped_pattern(text: &str, space: impl Fn(char) -> char) -> String {
    let mut pattern = String::from("%");
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
            pattern.push(c);
        } else {
            pattern.push(space(c));
        }
    }
    pattern.push('%');
    pattern
}

/// Inserts events in multi-row statements inside `tx`.
pub async fn insert_many(
    tx: &mut Transaction<'_, Any>,
    events: &[NewEvent],
) -> Result<(), sqlx::Error> {
    const COLUMNS: usize = 12;
    for chunk in events.chunks(INSERT_BATCH) {
        let sql = format!(
            "INSERT INTO events (id, customer_id, client_event_id, event_type, source, \
             occurred_at, received_at, store_id, amount_cents, currency, points_delta, payload) \
             VALUES {}",
            values_placeholders(Backend::of(tx), chunk.len(), COLUMNS)
        );
        bind_events(sqlx::query(&sql), chunk)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn bind_events<'q, 'e>(
    mut query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    events: impl IntoIterator<Item = &'e NewEvent>,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for e in events {
        query = query
            .bind(e.id.clone())
            .bind(e.customer_id.clone())
            .bind(e.client_event_id.clone())
            .bind(e.event_type.clone())
            .bind(e.source.clone())
            .bind(e.occurred_at)
            .bind(e.received_at)
            .bind(e.store_id.clone())
            .bind(e.amount_cents)
            .bind(
                e.amount_cents.and(
                    e.payload
                        .get("currency")
                        .and_then(|c| c.as_str())
                        .map(str::to_string),
                ),
            )
            .bind(e.points_delta)
            .bind(e.payload.to_string());
    }
    query
}

/// Inserts events in multi-row statements inside `tx`, skipping any whose
/// `(customer_id, client_event_id)` is already stored; returns the ids actually inserted.
/// When every row goes in (the usual case) no row comes back: sqlx's SQLite driver hands each
/// returned row across threads, which cost more than the insert's own index work.
pub async fn insert_new(
    tx: &mut Transaction<'_, Any>,
    events: &[&NewEvent],
) -> Result<HashSet<String>, sqlx::Error> {
    const COLUMNS: usize = 12;
    // A whole ingest batch in one statement: 12,000 parameters, within both databases' limits.
    const ROWS: usize = 1000;
    let backend = Backend::of(tx);
    let mut inserted = HashSet::with_capacity(events.len());
    for chunk in events.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO events (id, customer_id, client_event_id, event_type, source, \
             occurred_at, received_at, store_id, amount_cents, currency, points_delta, payload) \
             VALUES {} ON CONFLICT (customer_id, client_event_id) WHERE client_event_id IS NOT NULL \
             DO NOTHING",
            values_placeholders(backend, chunk.len(), COLUMNS)
        );
        let done = bind_events(sqlx::query(&sql), chunk.iter().copied())
            .execute(&mut **tx)
            .await?;
        if done.rows_affected() == chunk.len() as u64 {
            inserted.extend(chunk.iter().map(|e| e.id.clone()));
            continue;
        }
        // Some were repeats: the fresh ids that made it in (found through the primary key,
        // which starts with the customer).
        let customers: BTreeSet<&str> = chunk.iter().map(|e| e.customer_id.as_str()).collect();
        let sql = format!(
            "SELECT id FROM events WHERE customer_id IN ({}) AND id IN ({})",
            list_placeholders(backend, 1, customers.len()),
            list_placeholders(backend, customers.len() + 1, chunk.len())
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for customer in customers {
            query = query.bind(customer);
        }
        for e in chunk {
            query = query.bind(e.id.clone());
        }
        inserted.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(inserted)
}

/// How many events there are in all.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(db.pool())
        .await
}

#[derive(FromRow)]
struct TypeRow {
    name: String,
    category: String,
    summary_template: String,
    detail_fields: String,
    required_fields: String,
}

/// The event-type registry in effect: built-in types with admins' changes, then custom types
/// (kept in the organisation cache).
pub async fn registry(db: &Db) -> Result<Vec<EventTypeDef>, sqlx::Error> {
    let registry = db.org_cache().get(|| read_registry(db)).await?;
    Ok(Vec::clone(&registry))
}

/// The registry as the database holds it.
async fn read_registry(db: &Db) -> Result<Vec<EventTypeDef>, sqlx::Error> {
    let rows: Vec<TypeRow> = sqlx::query_as(
        "SELECT name, category, summary_template, detail_fields, required_fields \
         FROM event_types",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(super::merge(
        rows.into_iter()
            .map(|row| EventTypeDef {
                name: row.name,
                category: row.category,
                summary_template: row.summary_template,
                detail_fields: field_list(&row.detail_fields),
                required_fields: field_list(&row.required_fields),
                builtin: false,
                ingestible: true,
            })
            .collect(),
    ))
}

/// Stores the settings of one event type (a change to a built-in one, or a custom type).
pub async fn save_type<'e, E>(executor: E, def: &EventTypeDef, now: i64) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query(
        "INSERT INTO event_types (name, category, summary_template, detail_fields, \
         required_fields, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (name) DO UPDATE SET category = excluded.category, \
         summary_template = excluded.summary_template, detail_fields = excluded.detail_fields, \
         required_fields = excluded.required_fields, updated_at = excluded.updated_at",
    )
    .bind(&def.name)
    .bind(&def.category)
    .bind(&def.summary_template)
    .bind(def.detail_fields.join(","))
    .bind(def.required_fields.join(","))
    .bind(now)
    .execute(executor)
    .await?;
    crate::store::org_cache::written();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_escape_wildcards_and_fold_case() {
        assert_eq!(like_pattern("  50% Off_ "), "%50\\% off\\_%");
        assert_eq!(like_pattern("a\\b"), "%a\\\\b%");
    }

    #[test]
    fn type_patterns_let_a_space_stand_for_the_underscore() {
        assert_eq!(type_pattern("Points Earned"), "%points_earned%");
        assert_eq!(type_pattern("points_earned"), "%points\\_earned%");
    }
}
