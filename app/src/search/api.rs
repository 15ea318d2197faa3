//! Server functions for search (permission customers.search).

use super::advanced::{AdvancedQuery, SearchResults};
use super::model::SearchOutcome;
use crate::error::AppError;
use crate::settings::SearchMode;
use leptos::prelude::*;

/// Finds the one customer whose phone, card, email, external id or id is exactly `q`.
#[server(endpoint = "find_customer")]
pub async fn find_customer(q: String) -> Result<SearchOutcome, AppError> {
    crate::error::respond(async {
        let user = crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        state.search_limiter.check(&user.id)?;
        super::service::exact(&state.db, &q).await
    })
    .await
}

/// Which search the organisation allows.
#[server(endpoint = "get_search_mode")]
pub async fn get_search_mode() -> Result<SearchMode, AppError> {
    crate::error::respond(async {
        crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        Ok(crate::settings::db::search_mode(&state.db).await?)
    })
    .await
}

/// One page of an advanced search; refused while the organisation allows exact match only.
#[server(endpoint = "advanced_search")]
pub async fn advanced_search(query: AdvancedQuery) -> Result<SearchResults, AppError> {
    crate::error::respond(async {
        let user = crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
        super::service::advanced_for(&crate::state::app_state()?, &user, &query).await
    })
    .await
}
