//! Server function for the list.

use super::model::RecentCustomer;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user's recently viewed customers, the latest first.
#[server(endpoint = "recently_viewed")]
pub async fn recently_viewed() -> Result<Vec<RecentCustomer>, AppError> {
    crate::error::respond(async {
        let user = crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        state.recent.flush(&state.db).await;
        Ok(super::db::list(&state.db, &user.id).await?)
    })
    .await
}
