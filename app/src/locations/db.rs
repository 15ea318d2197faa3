//! SQL for the Locations tab.

use crate::catalog::Store;
use crate::store::Db;
use sqlx::FromRow;

#[derive(FromRow)]
struct StoreRow {
    id: String,
    name: String,
    address: String,
    city: String,
    postal_code: String,
    country: String,
    latitude: f64,
    longitude: f64,
    phone: String,
    hours: String,
    franchised: i64,
    open_24h: i64,
    promotions: i64,
}

impl From<StoreRow> for Store {
    fn from(r: StoreRow) -> Self {
        Store {
            id: r.id,
            name: r.name,
            address: r.address,
            city: r.city,
            postal_code: r.postal_code,
            country: r.country,
            latitude: r.latitude,
            longitude: r.longitude,
            phone: r.phone,
            hours: r.hours,
            franchised: r.franchised != 0,
            open_24h: r.open_24h != 0,
            promotions: r.promotions != 0,
        }
    }
}

const STORE_COLUMNS: &str = "s.id, s.name, s.address, s.city, s.postal_code, s.country, \
     s.latitude, s.longitude, s.phone, s.hours, s.franchised, s.open_24h, s.promotions";

/// Every store, by name.
pub async fn stores(db: &Db) -> Result<Vec<Store>, sqlx::Error> {
    let rows: Vec<StoreRow> = sqlx::query_as(&format!(
        "SELECT {STORE_COLUMNS} FROM stores s ORDER BY s.name"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(Store::from).collect())
}

/// The home store of `customer_id`: `None` when there is no such customer, `Some(None)`
/// when the customer has no home store.
pub async fn home_store(db: &Db, customer_id: &str) -> Result<Option<Option<String>>, sqlx::Error> {
    sqlx::query_scalar("SELECT home_store_id FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(db.pool())
        .await
}

/// Stores where `customer_id` had events: store id, events, latest, latest first.
pub async fn visits(
    db: &Db,
    customer_id: &str,
    limit: i64,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT store_id, COUNT(*) AS visits, MAX(occurred_at) AS last_visit FROM events \
         WHERE customer_id = $1 AND store_id IS NOT NULL GROUP BY store_id \
         ORDER BY last_visit DESC LIMIT $2",
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
