//! Server functions of the Purchases sub-tab.

use super::model::{PurchasePage, PurchaseSort};
use crate::error::AppError;
use leptos::prelude::*;

/// Page `page` (from 1) of customer `customer_id`'s purchases in `sort` order.
#[server(endpoint = "list_purchases")]
pub async fn list_purchases(
    customer_id: String,
    sort: PurchaseSort,
    page: i64,
) -> Result<PurchasePage, AppError> {
    crate::error::respond(async {
        crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
        const PAGE_SIZE: i64 = 25;
        let state = crate::state::app_state()?;
        let offset = (page.max(1) - 1).saturating_mul(PAGE_SIZE);
        let (purchases, total) =
            super::db::page(&state.db, &customer_id, sort, PAGE_SIZE, offset).await?;
        Ok(PurchasePage {
            purchases,
            total,
            page_size: PAGE_SIZE,
        })
    })
    .await
}
