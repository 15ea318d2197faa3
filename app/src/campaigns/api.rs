//! Server functions of the Campaigns sub-tab and the campaign page.

use super::model::{Campaign, CustomerCampaign};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Customer `customer_id`'s campaigns: in progress, eligible, completed.
#[server(endpoint = "list_customer_campaigns")]
pub async fn list_customer_campaigns(
    customer_id: String,
) -> Result<Vec<CustomerCampaign>, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::customer_campaigns(&crate::state::app_state()?, customer_id).await
    })
    .await
}

/// Campaign `id`.
#[server(endpoint = "get_campaign")]
pub async fn get_campaign(id: String) -> Result<Campaign, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::campaign(&crate::state::app_state()?, id).await
    })
    .await
}
