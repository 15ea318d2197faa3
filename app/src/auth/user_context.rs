//! The signed-in user and the deployment facts pages depend on, on both sides: the server
//! renders them into the page head as JSON, the browser reads them back at hydration, so both
//! render the same thing without a round trip (and nothing moves once the page is live).

use super::model::CurrentUser;
use super::permission::Permission;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

const SCRIPT_ID: &str = "current-user";
const FACTS_ID: &str = "console-facts";

/// What the deployment offers, which pages must know while rendering.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleFacts {
    /// Whether an SMTP server is configured, so emails can be sent.
    pub email_enabled: bool,
    /// The time zone dates and times are shown in.
    pub time_zone: crate::time::DisplayZone,
}

/// The `<script type="application/json">` elements with the signed-in user and the console
/// facts (in the head).
#[component]
pub fn CurrentUserScript() -> impl IntoView {
    let user = json_script(&server_side_user());
    let facts = json_script(&server_side_facts());
    view! {
        <script type="application/json" id=SCRIPT_ID inner_html=user></script>
        <script type="application/json" id=FACTS_ID inner_html=facts></script>
    }
}

fn json_script(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
}

/// Provides the signed-in user and the console facts to every component below (call once, in
/// `App`).
pub fn provide_current_user() {
    let (user, facts) = if cfg!(feature = "ssr") {
        (server_side_user(), server_side_facts())
    } else {
        (
            read_script::<Option<CurrentUser>>(SCRIPT_ID).flatten(),
            read_script::<ConsoleFacts>(FACTS_ID).unwrap_or_default(),
        )
    };
    provide_context(StoredValue::new(user));
    provide_context(crate::time::PageZone(std::sync::Arc::new(
        facts.time_zone.clone(),
    )));
    provide_context(facts);
}

fn read_script<T: serde::de::DeserializeOwned>(id: &str) -> Option<T> {
    document()
        .get_element_by_id(id)
        .and_then(|el| el.text_content())
        .and_then(|text| serde_json::from_str(&text).ok())
}

/// The console facts (defaults outside `App`).
pub fn use_console_facts() -> ConsoleFacts {
    use_context::<ConsoleFacts>().unwrap_or_default()
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

#[cfg(feature = "ssr")]
fn server_side_facts() -> ConsoleFacts {
    // No state while the route list is generated at start-up: nothing is rendered for anyone
    // then.
    let state = use_context::<crate::state::AppState>();
    ConsoleFacts {
        email_enabled: state
            .as_ref()
            .is_some_and(|state| state.config.mail.is_some()),
        time_zone: state
            .map(|state| (*state.time_zone.get()).clone())
            .unwrap_or_default(),
    }
}

#[cfg(not(feature = "ssr"))]
fn server_side_facts() -> ConsoleFacts {
    ConsoleFacts::default()
}
