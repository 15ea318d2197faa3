//! The signed-in user on both sides: the server renders it into the page head as JSON, the
//! browser reads it back at hydration, so both render the same thing without a round trip.

use super::model::CurrentUser;
use super::permission::Permission;
use leptos::prelude::*;

const SCRIPT_ID: &str = "current-user";

/// `<script type="application/json" id="current-user">` with the signed-in user (in the head).
#[component]
pub fn CurrentUserScript() -> impl IntoView {
    let json = serde_json::to_string(&server_side_user())
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c");
    view! { <script type="application/json" id=SCRIPT_ID inner_html=json></script> }
}

/// Provides the signed-in user to every component below (call once, in `App`).
pub fn provide_current_user() {
    let user = if cfg!(feature = "ssr") {
        server_side_user()
    } else {
        document()
            .get_element_by_id(SCRIPT_ID)
            .and_then(|el| el.text_content())
            .and_then(|text| serde_json::from_str::<Option<CurrentUser>>(&text).ok())
            .flatten()
    };
    provide_context(StoredValue::new(user));
}

/// The signed-in user, if any.
pub fn use_current_user() -> Option<CurrentUser> {
    use_context::<StoredValue<Option<CurrentUser>>>().and_then(|user| user.get_value())
}

/// Whether the signed-in user holds `permission` (the UI hides what they may not do; the
/// server refuses it regardless).
pub fn use_can(permission: Permission) -> bool {
    use_current_user().is_some_and(|user| user.can(permission))
}

#[cfg(feature = "ssr")]
fn server_side_user() -> Option<CurrentUser> {
    super::guard::session_state().user().cloned()
}

#[cfg(not(feature = "ssr"))]
fn server_side_user() -> Option<CurrentUser> {
    None
}
