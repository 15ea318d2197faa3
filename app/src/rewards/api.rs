//! Server functions of the Rewards sub-tab.

use super::model::Redemption;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Customer `customer_id`'s redeemed rewards with their orders' delivery history.
#[server(endpoint = "list_rewards")]
pub async fn list_rewards(customer_id: String) -> Result<Vec<Redemption>, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::list(&crate::state::app_state()?, customer_id).await
    })
    .await
}
