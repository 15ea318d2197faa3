//! Server functions of the Offers sub-tab.

use super::model::OfferList;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Customer `customer_id`'s offers and the catalogue.
#[server(endpoint = "list_offers")]
pub async fn list_offers(customer_id: String) -> Result<OfferList, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::list_offers(&crate::state::app_state()?, customer_id).await
    })
    .await
}

/// Issues catalogue offer `offer_id` to the customer: an `offer_issued` event, audited.
#[server(endpoint = "issue_offer")]
pub async fn issue_offer(customer_id: String, offer_id: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::OffersIssue)?;
        service::issue(&crate::state::app_state()?, &user, customer_id, offer_id).await
    })
    .await
}
