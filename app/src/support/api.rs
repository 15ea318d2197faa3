//! Server function of the Support tab (permission customers.search).

use super::model::SupportTickets;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// The customer's Zendesk tickets: refreshed from Zendesk when the cache is older than five
/// minutes, else (or when Zendesk does not answer) from the cache.
#[server(endpoint = "get_support_tickets")]
pub async fn get_support_tickets(customer_id: String) -> Result<SupportTickets, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::tickets(&crate::state::app_state()?, customer_id).await
    })
    .await
}
