//! Server function for exact-match search.

use super::model::SearchOutcome;
use crate::error::AppError;
use leptos::prelude::*;

/// Finds the one customer whose phone, card, email, external id or id is exactly `q`.
#[server(endpoint = "find_customer")]
pub async fn find_customer(q: String) -> Result<SearchOutcome, AppError> {
    crate::error::respond(
        async {
            crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
            let state = crate::state::app_state()?;
            let candidates = super::model::identifier_candidates(&q)?;
            match super::db::find_by_identifier(&state.db, &candidates).await? {
                Some(id) => Ok(SearchOutcome::Found(id)),
                None => {
                    let noun = candidates
                        .first()
                        .map(|c| c.kind.noun())
                        .unwrap_or("identifier");
                    Ok(SearchOutcome::NoMatch(format!(
                        "No customer with that {noun} ({}).",
                        q.trim()
                    )))
                }
            }
        }
        .await,
    )
}
