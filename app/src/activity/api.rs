//! Server functions for the event stream.

use crate::error::AppError;
use crate::events::{EventPage, StreamQuery};
use leptos::prelude::*;

/// One page of customer `customer_id`'s events, newest first. `section` limits it to a
/// sub-tab's event types, `query` to a type, a category or text; `before` is the `next`
/// cursor of the previous page.
#[server(endpoint = "list_events")]
pub async fn list_events(
    customer_id: String,
    section: Option<String>,
    query: Option<StreamQuery>,
    before: Option<(i64, String)>,
) -> Result<EventPage, AppError> {
    crate::error::respond(async {
        crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        super::service::page(&state.db, &customer_id, section, query, before).await
    })
    .await
}
