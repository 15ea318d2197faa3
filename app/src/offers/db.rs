//! SQL for offers.

use super::model::{CatalogOffer, HeldOffer};
use crate::store::Db;
use sqlx::{Any, FromRow, Transaction};

#[derive(FromRow)]
struct CatalogRow {
    id: String,
    name: String,
    description: String,
    valid_days: i64,
}

#[derive(FromRow)]
struct HeldRow {
    id: String,
    name: String,
    issued_at: i64,
    expires_at: i64,
    redeemed_at: Option<i64>,
    issued_by: String,
}

/// The catalogue, by name.
pub async fn catalog(db: &Db) -> Result<Vec<CatalogOffer>, sqlx::Error> {
    let rows: Vec<CatalogRow> =
        sqlx::query_as("SELECT id, name, description, valid_days FROM offer_catalog ORDER BY name")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| CatalogOffer {
            id: r.id,
            name: r.name,
            description: r.description,
            valid_days: r.valid_days,
        })
        .collect())
}

/// Customer `id`'s offers, newest first.
pub async fn held(db: &Db, id: &str) -> Result<Vec<HeldOffer>, sqlx::Error> {
    let rows: Vec<HeldRow> = sqlx::query_as(
        "SELECT h.id, c.name, h.issued_at, h.expires_at, h.redeemed_at, h.issued_by \
         FROM customer_offers h JOIN offer_catalog c ON c.id = h.offer_id \
         WHERE h.customer_id = $1 ORDER BY h.issued_at DESC, h.id DESC",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HeldOffer {
            id: r.id,
            name: r.name,
            issued_at: r.issued_at,
            expires_at: r.expires_at,
            redeemed_at: r.redeemed_at,
            issued_by: r.issued_by,
        })
        .collect())
}

/// Gives customer `customer_id` offer `offer` (valid `valid_days` from `now`).
pub async fn issue(
    tx: &mut Transaction<'_, Any>,
    holding_id: &str,
    customer_id: &str,
    offer: &CatalogOffer,
    issued_by: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let expires_at = now + offer.valid_days * 86_400_000;
    sqlx::query(
        "INSERT INTO customer_offers (id, customer_id, offer_id, issued_at, expires_at, issued_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(holding_id)
    .bind(customer_id)
    .bind(&offer.id)
    .bind(now)
    .bind(expires_at)
    .bind(issued_by)
    .execute(&mut **tx)
    .await?;
    Ok(expires_at)
}

/// Which of `ids` hold an offer not yet redeemed (an ingest batch looks for the offer its
/// `offer_redeemed` events name only among these).
pub async fn holding_open_offers(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ids: &[&str],
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    let backend = crate::store::Backend::of(tx);
    let mut holding = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT DISTINCT customer_id FROM customer_offers \
             WHERE redeemed_at IS NULL AND customer_id IN ({})",
            crate::store::list_placeholders(backend, 1, chunk.len())
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        holding.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(holding)
}

/// Marks redeemed at `at` the oldest offer customer `id` holds that matches `offer` (catalogue
/// id, or name in any case) and was valid then: an `offer_redeemed` event from a till.
/// Nothing happens when they hold no such offer (a redemption of a public offer).
pub async fn redeem_held(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
    offer: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customer_offers SET redeemed_at = $1 WHERE customer_id = $2 AND id = ( \
            SELECT h.id FROM customer_offers h JOIN offer_catalog c ON c.id = h.offer_id \
            WHERE h.customer_id = $2 AND h.redeemed_at IS NULL \
            AND h.issued_at <= $1 AND h.expires_at >= $1 \
            AND (c.id = $3 OR LOWER(c.name) = LOWER($3)) \
            ORDER BY h.issued_at LIMIT 1)",
    )
    .bind(at)
    .bind(id)
    .bind(offer)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
