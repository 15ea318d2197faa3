//! SQL for geofences: the admin's list and changes, the apps' list, the names ingest writes into
//! events, and a customer's geofence events.

use super::model::{CheckedGeofence, Geofence};
use crate::store::{list_placeholders, Backend, Db};
use sqlx::{Any, AnyConnection, FromRow, Transaction};
use std::collections::HashMap;

#[derive(FromRow)]
struct GeofenceRow {
    id: String,
    name: String,
    latitude: f64,
    longitude: f64,
    radius_m: i64,
    store_id: Option<String>,
    active: i64,
    updated_at: i64,
}

impl From<GeofenceRow> for Geofence {
    fn from(r: GeofenceRow) -> Self {
        Geofence {
            id: r.id,
            name: r.name,
            latitude: r.latitude,
            longitude: r.longitude,
            radius_m: r.radius_m,
            store_id: r.store_id,
            active: r.active != 0,
            updated_at: r.updated_at,
        }
    }
}

const COLUMNS: &str = "id, name, latitude, longitude, radius_m, store_id, active, updated_at";

/// Every geofence by name; `active_only`: the ones apps are told of.
pub async fn list(db: &Db, active_only: bool) -> Result<Vec<Geofence>, sqlx::Error> {
    let filter = if active_only { "WHERE active = 1" } else { "" };
    let rows: Vec<GeofenceRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM geofences {filter} ORDER BY name_key"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(Geofence::from).collect())
}

/// Geofence `id` as it is now, in `tx`.
pub async fn get(tx: &mut Transaction<'_, Any>, id: &str) -> Result<Option<Geofence>, sqlx::Error> {
    let row: Option<GeofenceRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM geofences WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(Geofence::from))
}

/// Whether store `id` exists.
pub async fn store_exists(tx: &mut Transaction<'_, Any>, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM stores WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some())
}

/// Adds geofence `id`.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    fence: &CheckedGeofence,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO geofences (id, name, name_key, latitude, longitude, radius_m, store_id, \
         active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(id)
    .bind(&fence.name)
    .bind(fence.name.to_lowercase())
    .bind(fence.latitude)
    .bind(fence.longitude)
    .bind(fence.radius_m)
    .bind(fence.store_id.as_deref())
    .bind(i64::from(fence.active))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Changes geofence `id` if it is still as of `seen`; whether it was.
pub async fn update(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    seen: i64,
    fence: &CheckedGeofence,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE geofences SET name = $1, name_key = $2, latitude = $3, longitude = $4, \
         radius_m = $5, store_id = $6, active = $7, updated_at = $8 \
         WHERE id = $9 AND updated_at = $10",
    )
    .bind(&fence.name)
    .bind(fence.name.to_lowercase())
    .bind(fence.latitude)
    .bind(fence.longitude)
    .bind(fence.radius_m)
    .bind(fence.store_id.as_deref())
    .bind(i64::from(fence.active))
    .bind(now)
    .bind(id)
    .bind(seen)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The name of each geofence of `ids` that exists, by id.
pub async fn names(
    backend: Backend,
    conn: &mut AnyConnection,
    ids: &[&str],
) -> Result<HashMap<String, String>, sqlx::Error> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT id, name FROM geofences WHERE id IN ({})",
            list_placeholders(backend, 1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (String, String)>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        found.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}

/// The latest `limit` geofence events of `customer_id`, newest first: (type, payload JSON,
/// when).
pub async fn customer_events(
    db: &Db,
    customer_id: &str,
    limit: i64,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT event_type, payload, occurred_at FROM events WHERE customer_id = $1 \
         AND event_type IN ('geofence_entered', 'geofence_exited') \
         ORDER BY occurred_at DESC, id DESC LIMIT $2",
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
