//! SQL for the events an events import keeps between its two steps: appended in file order
//! while the file is read (no index then, so each append is cheap), then read back a range of
//! customers at a time in customer order, through an index built once the file is read.

use crate::events::NewEvent;
use crate::store::{list_placeholders, values_placeholders, Backend, Db};
use sqlx::{Any, AnyConnection, Transaction};
use std::collections::HashMap;

/// Kept events per multi-row insert (4 values each).
const INSERT_ROWS: usize = 500;

/// The index that reads kept events by customer.
const INDEX: &str = "import_staged_by_customer";

/// Keeps `events` of import `import_id`, each with its row in the file.
pub async fn keep(
    tx: &mut Transaction<'static, Any>,
    import_id: &str,
    events: &[(i64, &NewEvent)],
) -> Result<(), sqlx::Error> {
    let backend = Backend::of(tx);
    for chunk in events.chunks(INSERT_ROWS) {
        let sql = format!(
            "INSERT INTO import_staged_events (customer_id, import_id, row_number, event) \
             VALUES {}",
            values_placeholders(backend, chunk.len(), 4)
        );
        let mut query = sqlx::query(&sql);
        for (row, event) in chunk {
            let json = serde_json::to_string(event).map_err(|e| sqlx::Error::Encode(e.into()))?;
            query = query
                .bind(&event.customer_id)
                .bind(import_id)
                .bind(*row)
                .bind(json);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Builds the index that reads kept events by customer (one sort of what the file kept,
/// instead of an index insert per kept event); nothing when it is there. On SQLite the sort
/// spills to temporary files rather than memory ([`Db::sort_on_disk`]).
pub async fn sort_by_customer(db: &Db) -> Result<(), sqlx::Error> {
    let mut connection = db.writer().acquire().await?;
    db.sort_on_disk(&mut connection, true).await?;
    let built = sqlx::query(&format!(
        "CREATE INDEX IF NOT EXISTS {INDEX} ON import_staged_events (customer_id, import_id)"
    ))
    .execute(&mut *connection)
    .await;
    db.sort_on_disk(&mut connection, false).await?;
    built.map(|_| ())
}

/// The kept events of import `import_id` of the next customers after `after` (from the
/// first when `None`), about `limit` events: a customer's events are never split across two
/// ranges. Each with its row in the file. Empty once all are read.
pub async fn next_range(
    conn: &mut AnyConnection,
    import_id: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<(i64, NewEvent)>, sqlx::Error> {
    let after = after.unwrap_or("");
    // The range ends with the customer of the `limit`th event, all of whose events it takes.
    let last: Option<String> = sqlx::query_scalar(
        "SELECT customer_id FROM import_staged_events WHERE customer_id > $1 AND import_id = $2 \
         ORDER BY customer_id LIMIT 1 OFFSET $3",
    )
    .bind(after)
    .bind(import_id)
    .bind(limit - 1)
    .fetch_optional(&mut *conn)
    .await?;
    let sql = format!(
        "SELECT row_number, event FROM import_staged_events WHERE customer_id > $1 \
         AND import_id = $2{}",
        if last.is_some() {
            " AND customer_id <= $3"
        } else {
            ""
        }
    );
    let mut query = sqlx::query_as::<_, (i64, String)>(&sql)
        .bind(after)
        .bind(import_id);
    if let Some(last) = &last {
        query = query.bind(last);
    }
    query
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(row, json)| {
            serde_json::from_str(&json)
                .map(|event| (row, event))
                .map_err(|e| sqlx::Error::Decode(e.into()))
        })
        .collect()
}

/// Removes the kept events of import `import_id` (a fresh run, or the end of the second
/// step). When no other import keeps any, the index goes too, and on SQLite the table is
/// emptied at once (SQLite then frees its pages whole instead of deleting row by row).
pub async fn forget(
    tx: &mut Transaction<'static, Any>,
    import_id: &str,
) -> Result<(), sqlx::Error> {
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM imports WHERE id <> $1 AND kind = 'events' AND staged > 0 \
         AND status <> 'done'",
    )
    .bind(import_id)
    .fetch_one(&mut **tx)
    .await?;
    if others > 0 || Backend::of(tx) == Backend::Postgres {
        sqlx::query("DELETE FROM import_staged_events WHERE import_id = $1")
            .bind(import_id)
            .execute(&mut **tx)
            .await?;
    } else {
        sqlx::query("DELETE FROM import_staged_events")
            .execute(&mut **tx)
            .await?;
    }
    if others > 0 {
        return Ok(());
    }
    sqlx::query(&format!("DROP INDEX IF EXISTS {INDEX}"))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Which of customers `ids` are still there, each with whether their processing is
/// restricted.
pub async fn customers_now(
    tx: &mut Transaction<'_, Any>,
    ids: &[String],
) -> Result<HashMap<String, bool>, sqlx::Error> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT id, restricted_at FROM customers WHERE id IN ({})",
            list_placeholders(Backend::of(tx), 1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (String, Option<i64>)>(&sql);
        for id in chunk {
            query = query.bind(id);
        }
        for (id, restricted_at) in query.fetch_all(&mut **tx).await? {
            found.insert(id, restricted_at.is_some());
        }
    }
    Ok(found)
}

/// Removes the kept events of customer `id` from every import (a forget).
pub async fn forget_customer(tx: &mut Transaction<'_, Any>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM import_staged_events WHERE customer_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
