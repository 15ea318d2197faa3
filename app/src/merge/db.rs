//! SQL of merges: reading and replacing a customer's rows, moving rows between customers
//! (insert under the new owner, then delete: Citus does not change a row's distribution
//! column in place), the merge records and the redirects from absorbed ids.

use super::model::MergeRecord;
use crate::store::rows::{self, JsonRow};
use crate::store::{Backend, Db};
use sqlx::{Any, Transaction};

/// Ids per `IN (…)` list when rows move back by id: PostgreSQL plans each statement anew, so
/// fewer, longer lists (an undo of 100,000 events took 8.7 s in lists of 500, 1.8 s in lists
/// of 5,000); SQLite is quicker with short ones.
fn ids_per_statement(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 500,
        Backend::Postgres => 5_000,
    }
}

/// Customer `id`'s row, locked for the rest of the transaction on PostgreSQL (SQLite has one
/// writer).
pub async fn customer_row(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    lock: bool,
) -> Result<Option<JsonRow>, sqlx::Error> {
    let lock = if lock && Backend::of(tx) == Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let row = sqlx::query(&format!("SELECT * FROM customers WHERE id = $1{lock}"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.as_ref().map(rows::to_json))
}

/// Customer `id`'s rows of `table`.
pub async fn rows_of(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    id: &str,
) -> Result<Vec<JsonRow>, sqlx::Error> {
    rows::select(tx, table, "customer_id", id).await
}

/// Replaces customer `id`'s rows of `table` with `rows`.
pub async fn replace_rows(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    id: &str,
    new_rows: &[JsonRow],
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("DELETE FROM {table} WHERE customer_id = $1"))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    rows::insert(tx, table, new_rows).await
}

/// Writes `row` as customer `id`'s row.
pub async fn update_customer(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    row: &JsonRow,
) -> Result<(), sqlx::Error> {
    rows::update(tx, "customers", "id", id, row).await
}

/// Puts back a customer's row as it was.
pub async fn insert_customer(
    tx: &mut Transaction<'_, Any>,
    row: &JsonRow,
) -> Result<(), sqlx::Error> {
    rows::insert(tx, "customers", std::slice::from_ref(row)).await
}

/// Deletes customer `id`'s row (its remaining rows elsewhere go with it).
pub async fn delete_customer(tx: &mut Transaction<'_, Any>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM customers WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The ids of customer `id`'s rows of `table`.
pub async fn ids_of(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT id FROM {table} WHERE customer_id = $1 ORDER BY id"
    ))
    .bind(id)
    .fetch_all(&mut **tx)
    .await
}

/// Moves rows of `table` from customer `from` to `to`: all of them, or those whose id is in
/// `ids`. Returns how many moved.
pub async fn move_rows(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    from: &str,
    to: &str,
    ids: Option<&[String]>,
) -> Result<u64, sqlx::Error> {
    let columns = rows::columns(tx, table).await?;
    let selected: Vec<&str> = columns
        .iter()
        .map(|c| if c == "customer_id" { "$1" } else { c.as_str() })
        .collect();
    let head = format!(
        "INSERT INTO {table} ({}) SELECT {} FROM {table} WHERE customer_id = $2",
        columns.join(", "),
        selected.join(", ")
    );
    let Some(ids) = ids else {
        let moved = sqlx::query(&head)
            .bind(to)
            .bind(from)
            .execute(&mut **tx)
            .await?;
        sqlx::query(&format!("DELETE FROM {table} WHERE customer_id = $1"))
            .bind(from)
            .execute(&mut **tx)
            .await?;
        return Ok(moved.rows_affected());
    };
    let mut moved = 0;
    for chunk in ids.chunks(ids_per_statement(Backend::of(tx))) {
        let sql = format!("{head} AND id IN ({})", numbered(3, chunk.len()));
        let mut query = sqlx::query(&sql).bind(to).bind(from);
        for id in chunk {
            query = query.bind(id);
        }
        moved += query.execute(&mut **tx).await?.rows_affected();
        let sql = format!(
            "DELETE FROM {table} WHERE customer_id = $1 AND id IN ({})",
            numbered(2, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(from);
        for id in chunk {
            query = query.bind(id);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(moved)
}

/// `$first, …` for `count` parameters: numbered on both databases, since the statements
/// around them name `$1` and `$2` (SQLite gives unnumbered `?`s the arguments from the first).
fn numbered(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Re-owns customer `from`'s privacy requests (all, or those in `ids`) to `to`; their ids.
pub async fn move_privacy_requests(
    tx: &mut Transaction<'_, Any>,
    from: &str,
    to: &str,
    ids: Option<&[String]>,
) -> Result<Vec<String>, sqlx::Error> {
    let held: Vec<String> =
        sqlx::query_scalar("SELECT id FROM privacy_requests WHERE customer_id = $1 ORDER BY id")
            .bind(from)
            .fetch_all(&mut **tx)
            .await?;
    let moving: Vec<String> = held
        .into_iter()
        .filter(|id| ids.is_none_or(|ids| ids.contains(id)))
        .collect();
    for id in &moving {
        sqlx::query("UPDATE privacy_requests SET customer_id = $1 WHERE id = $2")
            .bind(to)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(moving)
}

/// Hands the value `normalized` of `kind` from customer `from` to `to`; whether `from` held it.
pub async fn set_owner(
    tx: &mut Transaction<'_, Any>,
    kind: &str,
    normalized: &str,
    from: &str,
    to: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE identifier_owners SET customer_id = $1 \
         WHERE normalized = $2 AND kind = $3 AND customer_id = $4",
    )
    .bind(to)
    .bind(normalized)
    .bind(kind)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many of customer `id`'s rows a merge would move, by what they are.
pub async fn counts(
    tx: &mut Transaction<'_, Any>,
    id: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    const COUNTS: [(&str, &str); 10] = [
        (
            "identifiers",
            "SELECT COUNT(*) FROM customer_identifiers WHERE customer_id = $1",
        ),
        (
            "events",
            "SELECT COUNT(*) FROM events WHERE customer_id = $1",
        ),
        (
            "points ledger entries",
            "SELECT COUNT(*) FROM events WHERE customer_id = $1 AND points_delta IS NOT NULL",
        ),
        (
            "purchases",
            "SELECT COUNT(*) FROM events WHERE customer_id = $1 AND event_type = 'purchase'",
        ),
        (
            "promo-code claims and failed claims",
            "SELECT COUNT(*) FROM events WHERE customer_id = $1 \
             AND event_type IN ('promo_code_claimed', 'promo_code_claim_error')",
        ),
        (
            "tags",
            "SELECT COUNT(*) FROM customer_tags WHERE customer_id = $1",
        ),
        ("notes", "SELECT COUNT(*) FROM notes WHERE customer_id = $1"),
        (
            "offers held",
            "SELECT COUNT(*) FROM customer_offers WHERE customer_id = $1",
        ),
        (
            "support tickets",
            "SELECT COUNT(*) FROM support_tickets WHERE customer_id = $1",
        ),
        (
            "privacy requests",
            "SELECT COUNT(*) FROM privacy_requests WHERE customer_id = $1",
        ),
    ];
    let mut counts = Vec::new();
    for (what, sql) in COUNTS {
        let n: i64 = sqlx::query_scalar(sql)
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
        counts.push((what.to_string(), n));
    }
    Ok(counts)
}

/// The rank of tier `name` (higher is better), if it is a tier.
pub async fn tier_rank(
    tx: &mut Transaction<'_, Any>,
    name: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    let Some(name) = name else { return Ok(None) };
    sqlx::query_scalar("SELECT rank FROM tier_levels WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut **tx)
        .await
}

/// Events of `survivor` received at or after `since` that are not in `excluding` (the merge's
/// own), i.e. that arrived after the merge.
pub async fn events_since(
    tx: &mut Transaction<'_, Any>,
    survivor: &str,
    since: i64,
    excluding: &[String],
) -> Result<i64, sqlx::Error> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM events WHERE customer_id = $1 AND received_at >= $2")
            .bind(survivor)
            .bind(since)
            .fetch_all(&mut **tx)
            .await?;
    Ok(ids.iter().filter(|id| !excluding.contains(id)).count() as i64)
}

/// The events the tier rules wrote on `customer_id` at or after `since`.
pub async fn rule_events_since(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    since: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM events WHERE customer_id = $1 AND received_at >= $2 AND source = 'rules'",
    )
    .bind(customer_id)
    .bind(since)
    .fetch_all(&mut **tx)
    .await
}

/// Deletes events of `customer_id` by id.
pub async fn delete_events(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    ids: &[String],
) -> Result<(), sqlx::Error> {
    for id in ids {
        sqlx::query("DELETE FROM events WHERE customer_id = $1 AND id = $2")
            .bind(customer_id)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A merge to record.
pub struct NewMerge<'a> {
    /// Merge id.
    pub id: &'a str,
    /// The survivor.
    pub survivor_id: &'a str,
    /// The absorbed customer.
    pub absorbed_id: &'a str,
    /// When.
    pub at: i64,
    /// Who (display name).
    pub by: &'a str,
    /// JSON: the absorbed name and what moved (no other personal data).
    pub summary: &'a str,
    /// JSON: what an undo needs.
    pub restore: &'a str,
}

/// Records a merge and sends the absorbed id to the survivor.
pub async fn insert_merge(
    tx: &mut Transaction<'_, Any>,
    merge: &NewMerge<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO customer_merges (customer_id, id, absorbed_id, merged_at, merged_by, \
         summary, restore) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(merge.survivor_id)
    .bind(merge.id)
    .bind(merge.absorbed_id)
    .bind(merge.at)
    .bind(merge.by)
    .bind(merge.summary)
    .bind(merge.restore)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO customer_redirects (customer_id, survivor_id, merge_id) VALUES ($1, $2, $3)",
    )
    .bind(merge.absorbed_id)
    .bind(merge.survivor_id)
    .bind(merge.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A stored merge as an undo reads it.
#[derive(sqlx::FromRow)]
pub struct StoredMerge {
    /// The customer absorbed.
    pub absorbed_id: String,
    /// When (epoch ms).
    pub merged_at: i64,
    /// What the undo needs (JSON; gone once undone or the survivor forgotten).
    pub restore: Option<String>,
    /// When it was undone, if it was.
    pub undone_at: Option<i64>,
}

/// Merge `id` of survivor `survivor_id`.
pub async fn stored_merge(
    tx: &mut Transaction<'_, Any>,
    survivor_id: &str,
    id: &str,
) -> Result<Option<StoredMerge>, sqlx::Error> {
    sqlx::query_as(
        "SELECT absorbed_id, merged_at, restore, undone_at FROM customer_merges \
         WHERE customer_id = $1 AND id = $2",
    )
    .bind(survivor_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Marks merge `id` undone (dropping what the undo needed) and ends the redirect from
/// `absorbed_id`; `false` when it already was undone.
pub async fn mark_undone(
    tx: &mut Transaction<'_, Any>,
    survivor_id: &str,
    id: &str,
    absorbed_id: &str,
    at: i64,
    by: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE customer_merges SET undone_at = $1, undone_by = $2, restore = NULL \
         WHERE customer_id = $3 AND id = $4 AND undone_at IS NULL",
    )
    .bind(at)
    .bind(by)
    .bind(survivor_id)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM customer_redirects WHERE customer_id = $1")
        .bind(absorbed_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A `customer_merges` row as listed: id, survivor, absorbed, merged at and by, undone at and
/// by, summary.
type MergeRow = (
    String,
    String,
    String,
    i64,
    String,
    Option<i64>,
    Option<String>,
    String,
);

/// The merges customer `id` took part in (as survivor or absorbed), newest first.
pub async fn merges_of(db: &Db, id: &str) -> Result<Vec<MergeRecord>, sqlx::Error> {
    let rows: Vec<MergeRow> = sqlx::query_as(
        "SELECT id, customer_id, absorbed_id, merged_at, merged_by, undone_at, undone_by, \
             summary FROM customer_merges WHERE customer_id = $1 OR absorbed_id = $1 \
             ORDER BY merged_at DESC, id DESC",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                survivor_id,
                absorbed_id,
                merged_at,
                merged_by,
                undone_at,
                undone_by,
                summary,
            )| {
                let summary: serde_json::Value = serde_json::from_str(&summary).unwrap_or_default();
                MergeRecord {
                    id,
                    survivor_id,
                    absorbed_id,
                    absorbed_name: summary["absorbed_name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    merged_at,
                    merged_by,
                    undone_at,
                    undone_by,
                    moved: serde_json::from_value(summary["moved"].clone()).unwrap_or_default(),
                }
            },
        )
        .collect())
}

/// The customers merged into `id` and not undone (directly).
pub async fn absorbed_into(
    tx: &mut Transaction<'_, Any>,
    id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT absorbed_id FROM customer_merges WHERE customer_id = $1 AND undone_at IS NULL",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await
}

/// Removes every merge record and redirect about customer `id` (a forget).
pub async fn forget(tx: &mut Transaction<'_, Any>, id: &str) -> Result<u64, sqlx::Error> {
    let records =
        sqlx::query("DELETE FROM customer_merges WHERE customer_id = $1 OR absorbed_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    sqlx::query("DELETE FROM customer_redirects WHERE customer_id = $1 OR survivor_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(records.rows_affected())
}
