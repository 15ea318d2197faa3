//! Server function of the Digital properties tab (permission customers.search).

use super::model::DigitalFootprint;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// The customer's digital properties and devices.
#[server(endpoint = "get_digital_footprint")]
pub async fn get_digital_footprint(customer_id: String) -> Result<DigitalFootprint, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::get_digital_footprint(&crate::state::app_state()?, customer_id).await
    })
    .await
}
