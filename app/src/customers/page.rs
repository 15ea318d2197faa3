//! The profile route `/customers/:id`: header, tab bar and the selected tab.

use super::api::get_customer_header;
use super::header::ProfileHeader;
use crate::activity::{ActivityTab, EventStream};
use crate::layout::{lazy, ErrorPanel};
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route};
use leptos_router::hooks::{use_location, use_params_map};
use leptos_router::{path, Lazy, SsrMode};

/// The routes under `/customers/:id`, one per tab.
#[component(transparent)]
pub fn CustomerRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        // Rendered whole before it is sent (the reads take a few milliseconds): streamed
        // fallbacks swapped for content later moved the page under the reader's eyes.
        <ParentRoute path=path!("/customers/:id") view=ProfilePage ssr=SsrMode::Async>
            <ParentRoute path=path!("") view=ActivityTab>
                <Route path=path!("") view=EventStream/>
                <Route path=path!("activity/:section") view={Lazy::<lazy::ActivitySectionScreen>::new()}/>
            </ParentRoute>
            <Route path=path!("profile") view={Lazy::<lazy::ProfileTabScreen>::new()}/>
            <Route path=path!("digital-properties") view={Lazy::<lazy::DigitalPropertiesScreen>::new()}/>
            <Route path=path!("locations") view={Lazy::<lazy::LocationsScreen>::new()}/>
            <Route path=path!("notes") view={Lazy::<lazy::NotesScreen>::new()}/>
            <Route path=path!("privacy") view={Lazy::<lazy::PrivacyTabScreen>::new()}/>
        </ParentRoute>
    }
    .into_inner()
}

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

/// A customer's profile: header on every tab, the tab bar, then the selected tab.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let header_version = RwSignal::new(0);
    let live_changes = crate::activity::use_live_changes(id);
    provide_context(ProfilePageContext {
        customer_id: id,
        header_version,
        live_changes,
    });
    let header = Resource::new(
        move || (id.get(), header_version.get(), live_changes.get()),
        |(id, _, _)| get_customer_header(id),
    );
    view! {
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading customer…"</p> }>
            {move || {
                header
                    .get()
                    .map(|result| match result {
                        Ok(customer) => {
                            let title = format!("{} · Customer Profiles", customer.display_name);
                            view! {
                                <leptos_meta::Title text=title/>
                                <ProfileHeader customer/>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    })
            }}
        </Transition>
        // Outside the header's Transition: when the header resolves or reloads, the open tab
        // is neither re-created nor re-fetched (re-creating it on the server gave its
        // resources other ids than in the browser, which broke hydration now and then).
        <TabBar/>
        <Outlet/>
    }
}

/// The top-level tabs of a profile.
const TABS: [(&str, &str); 6] = [
    ("", "Activity"),
    ("/profile", "Profile"),
    ("/digital-properties", "Digital properties"),
    ("/locations", "Locations"),
    ("/notes", "Notes"),
    ("/privacy", "Data privacy"),
];

/// Links to each tab; the current one is marked with `aria-current="page"`.
#[component]
fn TabBar() -> impl IntoView {
    let id = use_customer_id();
    let location = use_location();
    let current = move |suffix: &str| {
        let base = format!("/customers/{}", id.get());
        let path = location.pathname.get();
        let rest = path.strip_prefix(&base).unwrap_or_default();
        if suffix.is_empty() {
            rest.is_empty() || rest == "/" || rest.starts_with("/activity")
        } else {
            rest.starts_with(suffix)
        }
    };
    view! {
        <nav class="tab-bar" aria-label="Customer sections">
            <ul>
                {TABS
                    .into_iter()
                    .map(|(suffix, label)| {
                        view! {
                            <li>
                                <a
                                    href=move || format!("/customers/{}{suffix}", id.get())
                                    aria-current=move || current(suffix).then_some("page")
                                >
                                    {label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
