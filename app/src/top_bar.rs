//! The top bar on every page: brand, navigation and the customer search box (`/` focuses it).

use crate::auth::api::SignOut;
use crate::auth::{use_current_user, CurrentUser, Permission};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// Id of the search box in the top bar, the target of the `/` shortcut.
pub const GLOBAL_SEARCH_ID: &str = "global-search";

/// Main navigation: link, label, and the permissions of which one is needed to see it.
const NAV: [(&str, &str, &[Permission]); 5] = [
    ("/", "Search", &[Permission::CustomersSearch]),
    (
        "/customers/new",
        "Add customer",
        &[Permission::CustomersCreate],
    ),
    ("/duplicates", "Duplicates", &[Permission::CustomersMerge]),
    (
        "/privacy",
        "Data privacy",
        &[Permission::PrivacyRequest, Permission::PrivacyViewLog],
    ),
    (
        "/admin",
        "Admin",
        &[
            Permission::UsersManage,
            Permission::SettingsManage,
            Permission::CustomersImport,
        ],
    ),
];

/// Brand, main navigation, the search box and the signed-in user; signed out, only the brand.
#[component]
pub fn TopBar() -> impl IntoView {
    let user = use_current_user();
    focus_search_on_slash();
    view! {
        <header class="top-bar">
            <a class="skip-link" href="#main">
                "Skip to content"
            </a>
            <a class="brand" href="/">
                "Customer Profiles"
            </a>
            {user.map(|user| view! { <SignedInBar user/> })}
        </header>
    }
}

#[component]
fn SignedInBar(user: CurrentUser) -> impl IntoView {
    let location = use_location();
    let query = use_query_map();
    let current = move |href: &str| {
        let path = location.pathname.get();
        match href {
            "/" => path == "/" || path == "/search",
            _ => path == href,
        }
    };
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            let _ = window().location().set_href("/sign-in");
        }
    });
    let can_search = user.can(Permission::CustomersSearch);
    view! {
            <nav class="main-nav" aria-label="Main">
                <ul>
                    {NAV
                        .into_iter()
                        .filter(|(_, _, needs)| needs.iter().any(|p| user.can(*p)))
                        .map(|(href, label, _)| {
                            view! {
                                <li>
                                    <a href=href aria-current=move || current(href).then_some("page")>
                                        {label}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            {can_search.then(|| view! {
            <form class="top-search" role="search" aria-label="Quick search" action="/search" method="get">
                <label for=GLOBAL_SEARCH_ID class="visually-hidden">
                    "Find a customer by phone, card, email or id"
                </label>
                <input
                    id=GLOBAL_SEARCH_ID
                    name="q"
                    type="search"
                    autocomplete="off"
                    placeholder="Phone, card, email or id  ( / )"
                    aria-keyshortcuts="/"
                    prop:value=move || query.read().get("q").unwrap_or_default()
                />
                <button type="submit" class="button">
                    "Search"
                </button>
            </form>
            })}
            <div class="user-menu">
                <span class="user-name">
                    {user.display_name.clone()}
                    <span class="user-role">{user.role.label()}</span>
                </span>
                <ActionForm action=sign_out>
                    <button type="submit" class="button secondary">"Sign out"</button>
                </ActionForm>
            </div>
    }
}

/// Pressing `/` anywhere outside a text field focuses the search box.
fn focus_search_on_slash() {
    Effect::new(move |_| {
        let handle = window_event_listener(leptos::ev::keydown, |event| {
            if event.key() != "/" || event.ctrl_key() || event.meta_key() || event.alt_key() {
                return;
            }
            let typing = event
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .map(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                        || el.has_attribute("contenteditable")
                })
                .unwrap_or(false);
            if typing {
                return;
            }
            if let Some(input) = document()
                .get_element_by_id(GLOBAL_SEARCH_ID)
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(el).ok())
            {
                event.prevent_default();
                let _ = input.focus();
                input.select();
            }
        });
        on_cleanup(move || handle.remove());
    });
}
