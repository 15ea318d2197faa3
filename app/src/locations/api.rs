//! Server functions of the Locations tab (permission customers.search).

use super::model::{CustomerLocations, NearbyStore};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// The customer's home store, recent stores and the programme's store list.
#[server(endpoint = "get_customer_locations")]
pub async fn get_customer_locations(customer_id: String) -> Result<CustomerLocations, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::get_customer_locations(&crate::state::app_state()?, customer_id).await
    })
    .await
}

/// The `limit` stores nearest to store `store_id` (itself excluded), nearest first.
#[server(endpoint = "nearby_stores")]
pub async fn nearby_stores(store_id: String, limit: usize) -> Result<Vec<NearbyStore>, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::nearby_stores(&crate::state::app_state()?, store_id, limit).await
    })
    .await
}
