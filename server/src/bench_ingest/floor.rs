//! The floor `bench-ingest` is measured against: the same rows written by the plainest code —
//! one multi-row insert of the events (with the events table's indexes) and one set-wise
//! update of the customers' projections (points, purchases, last activity), a transaction per
//! batch — with no validation, matching, enrichment, idempotency answers, tiers, tags or live
//! publishing timed. The rows are the console's own: its validation, matching and enrichment
//! prepare them before the clock starts (each `event_id` marked as the floor's), so the floor
//! writes what the console writes, enriched payloads included. (An update per customer, as a
//! plain script would write it, is slower than the console itself through sqlx: about 80 µs a
//! statement.)

use app::events::NewEvent;
use app::store::Db;
use serde_json::Value;
use std::collections::HashMap;
use std::time::Instant;

/// Events per second the floor writes `batches` at, each `event_id` prefixed with `mark`.
pub async fn throughput(db: &Db, batches: &[Vec<Value>], mark: &str) -> Result<f64, String> {
    let rows = rows(db, batches, mark).await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut written = 0;
    for batch in &rows {
        write(db, batch).await.map_err(|e| e.to_string())?;
        written += batch.len();
    }
    Ok(written as f64 / started.elapsed().as_secs_f64())
}

/// The rows the console would store for each of `batches`, untimed: its own validation,
/// matching and enrichment, in a transaction that writes nothing.
async fn rows(
    db: &Db,
    batches: &[Vec<Value>],
    mark: &str,
) -> Result<Vec<Vec<NewEvent>>, app::error::AppError> {
    let now = app::time::now_millis();
    let ignore_case = app::settings::db::external_ids_ignore_case(db).await?;
    let mut conn = db.pool().acquire().await?;
    let mut rows = Vec::with_capacity(batches.len());
    for batch in batches {
        let checked = app::ingest::validated(db, batch, now, None).await?;
        let prepared = app::ingest::matching::prepare(
            db.backend(),
            &mut conn,
            &checked,
            ignore_case,
            db.is_citus(),
            now,
        )
        .await?;
        rows.push(
            prepared
                .events
                .into_iter()
                .map(|(_, mut event)| {
                    event.client_event_id = event.client_event_id.map(|id| format!("{mark}{id}"));
                    event
                })
                .collect(),
        );
    }
    Ok(rows)
}

/// One batch: the events in one statement, then every customer's row in one more.
async fn write(db: &Db, batch: &[NewEvent]) -> Result<(), sqlx::Error> {
    let mut tx = db.writer().begin_with(db.backend().begin_write()).await?;
    let refs: Vec<&NewEvent> = batch.iter().collect();
    app::events::db::insert_new(&mut tx, &refs).await?;
    let mut per_customer: HashMap<&str, (i64, i64, i64)> = HashMap::new();
    for event in batch {
        let row = per_customer.entry(&event.customer_id).or_default();
        row.0 += event.points_delta.unwrap_or(0);
        row.1 += i64::from(event.event_type == "purchase");
        row.2 = row.2.max(event.occurred_at);
    }
    let sql = format!(
        "WITH v(cid, points, purchases, last_active) AS (VALUES {}) \
         UPDATE customers SET points_balance = customers.points_balance + v.points, \
         purchase_count = customers.purchase_count + v.purchases, \
         last_active_at = CASE WHEN customers.last_active_at IS NULL \
         OR customers.last_active_at < v.last_active THEN v.last_active \
         ELSE customers.last_active_at END FROM v WHERE customers.id = v.cid",
        app::store::values_placeholders(db.backend(), per_customer.len(), 4)
    );
    let mut query = sqlx::query(&sql);
    for (customer, (points, purchases, last_active)) in per_customer {
        query = query
            .bind(customer)
            .bind(points)
            .bind(purchases)
            .bind(last_active);
    }
    query.execute(&mut *tx).await?;
    tx.commit().await
}
