//! Server function for the list, and the hook the profile header calls.

use super::model::RecentCustomer;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user's recently viewed customers, the latest first.
#[server(endpoint = "recently_viewed")]
pub async fn recently_viewed() -> Result<Vec<RecentCustomer>, AppError> {
    crate::error::respond(
        async {
            let user = crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
            let state = crate::state::app_state()?;
            Ok(super::db::list(&state.db, &user.id).await?)
        }
        .await,
    )
}

/// Notes in the background that `user_id` opened `customer_id`: the profile answers without
/// waiting for a write (on SQLite that could queue behind an ingest batch).
#[cfg(feature = "ssr")]
pub fn remember_view(db: &crate::store::Db, user_id: &str, customer_id: &str) {
    let (db, user_id, customer_id) = (db.clone(), user_id.to_owned(), customer_id.to_owned());
    tokio::spawn(async move {
        let at = crate::time::now_millis();
        if let Err(cause) = super::db::record(&db, &user_id, &customer_id, at).await {
            tracing::debug!(%customer_id, %cause, "recent view not recorded");
        }
    });
}
