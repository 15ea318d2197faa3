//! The profile page `/customers/:id`: header, tab bar and the selected tab.

use super::header::ProfileHeader;
use crate::customers::{get_customer_header, use_customer_id, ProfilePageContext};
use crate::layout::Loaded;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_params_map};

/// A customer's profile: header on every tab, the tab bar, then the selected tab.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let header_version = RwSignal::new(0);
    let live_changes = crate::events::use_live_changes(id);
    provide_context(ProfilePageContext {
        customer_id: id,
        header_version,
        live_changes,
    });
    crate::access::AccessActions::provide();
    let header = Resource::new(
        move || (id.get(), header_version.get(), live_changes.get()),
        |(id, _, _)| get_customer_header(id),
    );
    view! {
        <Loaded resource=header what="customer" let:customer>
            {
                let title = format!("{} · Customer Profiles", customer.display_name);
                view! {
                    <leptos_meta::Title text=title/>
                    <ProfileHeader customer/>
                }
                    .into_any()
            }
        </Loaded>
        // Outside the header's Transition: when the header resolves or reloads, the open tab
        // is neither re-created nor re-fetched (re-creating it on the server gave its
        // resources other ids than in the browser, which broke hydration now and then).
        <crate::duplicates::DuplicatesNotice id live_changes/>
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
