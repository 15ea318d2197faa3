//! The use case behind the Purchases sub-tab's server function.

use super::model::{PurchasePage, PurchaseSort};
use crate::error::AppError;
use crate::store::Db;

/// Purchases shown per page.
const PAGE_SIZE: i64 = 25;

/// Page `page` (from 1; anything lower is the first) of customer `customer_id`'s purchases
/// in `sort` order.
pub async fn page(
    db: &Db,
    customer_id: &str,
    sort: PurchaseSort,
    page: i64,
) -> Result<PurchasePage, AppError> {
    let offset = (page.max(1) - 1).saturating_mul(PAGE_SIZE);
    let (purchases, total) = super::db::page(db, customer_id, sort, PAGE_SIZE, offset).await?;
    Ok(PurchasePage {
        purchases,
        total,
        page_size: PAGE_SIZE,
        home_currency: crate::settings::service::currency(db).await?,
    })
}
