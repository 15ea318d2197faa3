//! Server functions of the Promo Codes sub-tab.

use super::model::PromoOverview;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Customer `customer_id`'s claimed codes, failed claims and lockout.
#[server(endpoint = "get_promo_overview")]
pub async fn get_promo_overview(customer_id: String) -> Result<PromoOverview, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::overview(&crate::state::app_state()?, customer_id).await
    })
    .await
}

/// Lifts the customer's promo-code lockout (promo.reset_lockout): a `promo_lockout_reset`
/// event, audited. A conflict when the customer is not locked out.
#[server(endpoint = "reset_promo_lockout")]
pub async fn reset_promo_lockout(customer_id: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::PromoResetLockout)?;
        service::reset(&crate::state::app_state()?, &user, customer_id).await
    })
    .await
}
