//! The top bar on every page: brand, navigation and the customer search box (`/` focuses it).

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// Id of the search box in the top bar, the target of the `/` shortcut.
pub const GLOBAL_SEARCH_ID: &str = "global-search";

const NAV: [(&str, &str); 4] = [
    ("/", "Search"),
    ("/customers/new", "Add customer"),
    ("/privacy", "Data privacy"),
    ("/admin", "Admin"),
];

/// Brand, main navigation and the search box.
#[component]
pub fn TopBar() -> impl IntoView {
    let location = use_location();
    let query = use_query_map();
    let current = move |href: &str| {
        let path = location.pathname.get();
        match href {
            "/" => path == "/" || path == "/search",
            _ => path == href,
        }
    };
    focus_search_on_slash();
    view! {
        <header class="top-bar">
            <a class="skip-link" href="#main">
                "Skip to content"
            </a>
            <a class="brand" href="/">
                "Customer Profiles"
            </a>
            <nav class="main-nav" aria-label="Main">
                <ul>
                    {NAV
                        .into_iter()
                        .map(|(href, label)| {
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
            <form class="top-search" role="search" action="/search" method="get">
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
        </header>
    }
}

/// Pressing `/` anywhere outside a text field focuses the search box. Also marks the body
/// `data-hydrated` once the browser has taken over (tests wait for it).
fn focus_search_on_slash() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
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
