//! What the tabs of an open profile share, provided by the profile page.

use leptos::prelude::*;

/// What the tabs of a profile share: the id of the customer on screen and a way to reload
/// the header after an action changed it.
#[derive(Debug, Clone, Copy)]
pub struct ProfilePageContext {
    /// The `:id` of the current `/customers/:id` URL.
    pub customer_id: Memo<String>,
    /// Bumped to reload the header (points balance, status, …).
    pub header_version: RwSignal<u32>,
    /// Goes up each time the server says this customer changed (new events, edits).
    pub live_changes: ReadSignal<u64>,
}

/// The id of the customer whose profile is on screen.
pub fn use_customer_id() -> Memo<String> {
    expect_context::<ProfilePageContext>().customer_id
}
