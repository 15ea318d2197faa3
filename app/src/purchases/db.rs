//! SQL for the Purchases sub-tab and the conversion of stored amounts to minor units.

use super::model::{Purchase, PurchaseSort};
use crate::store::Db;
use serde_json::Value;
use sqlx::{Any, FromRow, Transaction};

#[derive(FromRow)]
struct PurchaseRow {
    id: String,
    occurred_at: i64,
    amount_cents: Option<i64>,
    payload: String,
    store_name: Option<String>,
}

/// Purchases of customer `id` in `sort` order, `limit` from `offset`, and how many in all.
pub async fn page(
    db: &Db,
    id: &str,
    sort: PurchaseSort,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Purchase>, i64), sqlx::Error> {
    let order = match sort {
        PurchaseSort::Newest => "e.occurred_at DESC, e.id DESC",
        PurchaseSort::Oldest => "e.occurred_at, e.id",
        // Amounts compare within a currency only.
        PurchaseSort::Largest => "e.currency, e.amount_cents DESC, e.occurred_at DESC, e.id DESC",
    };
    let rows: Vec<PurchaseRow> = sqlx::query_as(&format!(
        "SELECT e.id, e.occurred_at, e.amount_cents, e.payload, s.name AS store_name \
         FROM events e LEFT JOIN stores s ON s.id = e.store_id \
         WHERE e.customer_id = $1 AND e.event_type = 'purchase' ORDER BY {order} LIMIT $2 OFFSET $3"
    ))
    .bind(id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM events WHERE customer_id = $1 AND event_type = 'purchase'",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    Ok((rows.into_iter().map(Purchase::from).collect(), total))
}

impl From<PurchaseRow> for Purchase {
    fn from(row: PurchaseRow) -> Self {
        let payload: Value = serde_json::from_str(&row.payload).unwrap_or(Value::Null);
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
        let items = payload
            .get("items")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|item| {
                        let qty = item.get("qty").and_then(Value::as_i64).unwrap_or(1);
                        let name = text(item, "name")
                            .or_else(|| text(item, "sku"))
                            .unwrap_or_default();
                        format!("{qty} × {name}")
                    })
                    .collect()
            })
            .unwrap_or_default();
        let offers = payload
            .get("offers_redeemed")
            .and_then(Value::as_array)
            .map(|o| {
                o.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Purchase {
            id: row.id,
            at: row.occurred_at,
            amount_cents: row.amount_cents.unwrap_or(0),
            currency: text(&payload, "currency").unwrap_or_else(|| "GBP".into()),
            store: text(&payload, "store_name").or(row.store_name),
            items,
            offers,
        }
    }
}

/// The currencies events hold amounts in.
pub async fn amount_currencies(tx: &mut Transaction<'_, Any>) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT currency FROM events \
         WHERE amount_cents IS NOT NULL AND currency IS NOT NULL ORDER BY currency",
    )
    .fetch_all(&mut **tx)
    .await
}

/// The customers with an amount in `currency`.
pub async fn customers_paying_in(
    tx: &mut Transaction<'_, Any>,
    currency: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT customer_id FROM events \
         WHERE currency = $1 AND amount_cents IS NOT NULL",
    )
    .bind(currency)
    .fetch_all(&mut **tx)
    .await
}

/// Rewrites the amounts in `currency`, stored in hundredths, in the currency's minor units of
/// `exponent` decimals (rounded half away from zero where hundredths do not divide):
/// (amounts rewritten, of which rounded).
pub async fn rescale_amounts(
    tx: &mut Transaction<'_, Any>,
    currency: &str,
    exponent: u32,
) -> Result<(u64, u64), sqlx::Error> {
    let factor = 10_i64.pow(exponent.abs_diff(2));
    let rounded: i64 = if exponent < 2 {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM events \
             WHERE currency = $1 AND amount_cents IS NOT NULL AND amount_cents % $2 <> 0",
        )
        .bind(currency)
        .bind(factor)
        .fetch_one(&mut **tx)
        .await?
    } else {
        0
    };
    let new_amount = if exponent < 2 {
        "CASE WHEN amount_cents >= 0 THEN (amount_cents + $2 / 2) / $2 \
         ELSE -((-amount_cents + $2 / 2) / $2) END"
    } else {
        "amount_cents * $2"
    };
    let done = sqlx::query(&format!(
        "UPDATE events SET amount_cents = {new_amount} \
         WHERE currency = $1 AND amount_cents IS NOT NULL"
    ))
    .bind(currency)
    .bind(factor)
    .execute(&mut **tx)
    .await?;
    Ok((done.rows_affected(), u64::try_from(rounded).unwrap_or(0)))
}
