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
        let state = crate::state::app_state()?;
        super::service::page(&state.db, &customer_id, sort, page).await
    })
    .await
}
