//! Server functions for the event stream.

use super::model::EventPage;
use crate::error::AppError;
use leptos::prelude::*;

/// One page of customer `customer_id`'s events, newest first. `section` limits it to a
/// sub-tab's event types; `before` is the `next` cursor of the previous page.
#[server(endpoint = "list_events")]
pub async fn list_events(
    customer_id: String,
    section: Option<String>,
    before: Option<(i64, String)>,
) -> Result<EventPage, AppError> {
    crate::error::respond(
        async {
            crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
            let state = crate::state::app_state()?;
            let types = match section.as_deref() {
                None => &[][..],
                Some(slug) => {
                    super::model::Section::find(slug)
                        .ok_or_else(|| {
                            AppError::validation("section", "Unknown activity section.")
                        })?
                        .event_types
                }
            };
            Ok(
                super::db::page(&state.db, &customer_id, types, before, super::db::PAGE_SIZE)
                    .await?,
            )
        }
        .await,
    )
}
