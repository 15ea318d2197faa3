//! SQL for stores and products.

use super::model::{Product, Store};
use crate::store::{values_placeholders, Backend};
use sqlx::{Any, Transaction};

/// Inserts stores, skipping ids that already exist.
pub async fn insert_stores(
    tx: &mut Transaction<'_, Any>,
    stores: &[Store],
) -> Result<(), sqlx::Error> {
    for chunk in stores.chunks(500) {
        let sql = format!(
            "INSERT INTO stores (id, name, address, city, postal_code, country, latitude, \
             longitude, phone, hours, franchised, open_24h, promotions) VALUES {} \
             ON CONFLICT (id) DO NOTHING",
            values_placeholders(Backend::of(tx), chunk.len(), 13)
        );
        let mut query = sqlx::query(&sql);
        for s in chunk {
            query = query
                .bind(s.id.clone())
                .bind(s.name.clone())
                .bind(s.address.clone())
                .bind(s.city.clone())
                .bind(s.postal_code.clone())
                .bind(s.country.clone())
                .bind(s.latitude)
                .bind(s.longitude)
                .bind(s.phone.clone())
                .bind(s.hours.clone())
                .bind(i64::from(s.franchised))
                .bind(i64::from(s.open_24h))
                .bind(i64::from(s.promotions));
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Inserts products, skipping ids that already exist.
pub async fn insert_products(
    tx: &mut Transaction<'_, Any>,
    products: &[Product],
) -> Result<(), sqlx::Error> {
    for chunk in products.chunks(500) {
        let sql = format!(
            "INSERT INTO products (id, name, category, price_cents) VALUES {} \
             ON CONFLICT (id) DO NOTHING",
            values_placeholders(Backend::of(tx), chunk.len(), 4)
        );
        let mut query = sqlx::query(&sql);
        for p in chunk {
            query = query
                .bind(p.id.clone())
                .bind(p.name.clone())
                .bind(p.category.clone())
                .bind(p.price_cents);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
