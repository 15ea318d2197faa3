//! The console in maintenance (while `customer-profiles move` carries it to another database):
//! a line at the top of every page saying changes are paused, and what a refused change is
//! told. The refusal itself is `Change::begin`'s.

use crate::error::AppError;
use leptos::prelude::*;

/// What the line at the top of the page says while changes are paused.
pub const BANNER: &str = "The console is moving to a new database: you can look things up, \
                          but changes are paused for a minute or two.";

/// What a refused change is told while the console moves to another database.
pub const MOVING: &str = "The console is moving to a new database: changes are paused for a \
                          minute or two. Nothing was saved; try again shortly.";

/// The banner's text while the console is in maintenance; `None` otherwise.
#[server(endpoint = "maintenance_notice")]
pub async fn maintenance_notice() -> Result<Option<String>, AppError> {
    crate::error::respond(async {
        let state = crate::state::app_state()?;
        let reason = crate::store::maintenance_cached(&state.db).await?;
        Ok(reason.map(|_| BANNER.to_string()))
    })
    .await
}

/// The banner, read once per page load; nothing outside maintenance.
#[component]
pub fn MaintenanceBanner() -> impl IntoView {
    let notice = Resource::new(|| (), |_| maintenance_notice());
    view! {
        <Transition fallback=|| ()>
            {move || notice.get().and_then(Result::ok).flatten().map(|text| view! {
                <p class="maintenance-banner" role="status">{text}</p>
            })}
        </Transition>
    }
}
