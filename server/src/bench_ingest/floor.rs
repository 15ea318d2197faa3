//! The floor `bench-ingest` is measured against: the same batches written by the plainest
//! code that keeps the same rows — one multi-row insert of the events (with the events
//! table's indexes) and one set-wise update of the customers' projections (points, purchases,
//! last activity), a transaction per batch — with no validation, matching, enrichment,
//! idempotency answers, tiers, tags or live publishing. (An update per customer, as a plain
//! script would write it, is slower than the console itself through sqlx: about 80 µs a
//! statement.)

use app::events::NewEvent;
use app::store::Db;
use serde_json::Value;
use std::collections::HashMap;
use std::time::Instant;

/// Events per second the floor writes `batches` at; each event's customer is found in
/// `owners` (external id → customer id).
pub async fn throughput(
    db: &Db,
    batches: &[Vec<Value>],
    owners: &HashMap<String, String>,
) -> Result<f64, String> {
    let rows: Vec<Vec<NewEvent>> = batches
        .iter()
        .map(|batch| batch.iter().filter_map(|e| row(e, owners)).collect())
        .collect();
    let started = Instant::now();
    let mut written = 0;
    for batch in &rows {
        write(db, batch).await.map_err(|e| e.to_string())?;
        written += batch.len();
    }
    Ok(written as f64 / started.elapsed().as_secs_f64())
}

/// The customer ids of `external_ids`, as the floor is given them (no matching to time).
pub async fn owners(db: &Db, external_ids: &[String]) -> Result<HashMap<String, String>, String> {
    let mut owners = HashMap::with_capacity(external_ids.len());
    for external_id in external_ids {
        let owner = app::identity::db::owner(db, "external_id", external_id)
            .await
            .map_err(|e| e.to_string())?;
        if let Some(owner) = owner {
            owners.insert(external_id.clone(), owner);
        }
    }
    Ok(owners)
}

/// One event of the bench as the row the events table keeps.
fn row(event: &Value, owners: &HashMap<String, String>) -> Option<NewEvent> {
    let text = |value: &Value| value.as_str().map(str::to_string);
    let customer = owners.get(event["customer"]["external_id"].as_str()?)?;
    let occurred_at = chrono::DateTime::parse_from_rfc3339(event["occurred_at"].as_str()?)
        .ok()?
        .timestamp_millis();
    let payload = event["payload"].clone();
    Some(NewEvent {
        id: uuid::Uuid::now_v7().to_string(),
        customer_id: customer.clone(),
        client_event_id: Some(format!("floor-{}", event["event_id"].as_str()?)),
        event_type: text(&event["type"])?,
        source: text(&event["source"])?,
        occurred_at,
        received_at: app::time::now_millis(),
        store_id: text(&event["store_id"]),
        amount_cents: payload["amount_cents"].as_i64(),
        points_delta: payload["points"].as_i64(),
        payload,
    })
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
