//! Server function of the Digital properties tab (permission customers.search).

use super::model::DigitalFootprint;
use crate::error::AppError;
use leptos::prelude::*;

/// The customer's digital properties and devices.
#[server(endpoint = "get_digital_footprint")]
pub async fn get_digital_footprint(customer_id: String) -> Result<DigitalFootprint, AppError> {
    crate::error::respond(
        async {
            crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
            let db = crate::state::app_state()?.db;
            if !super::db::customer_exists(&db, &customer_id).await? {
                return Err(AppError::NotFound(format!(
                    "There is no customer with id {customer_id}."
                )));
            }
            let events: Vec<_> = super::db::device_events(&db, &customer_id)
                .await?
                .into_iter()
                .map(|(kind, at, payload)| {
                    (kind, at, serde_json::from_str(&payload).unwrap_or_default())
                })
                .collect();
            Ok(super::summarise(&events))
        }
        .await,
    )
}
