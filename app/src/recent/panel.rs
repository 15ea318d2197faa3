//! The "Recently viewed" card of the search page.

use super::api::recently_viewed;
use crate::time::format_date_time;
use leptos::prelude::*;

/// The signed-in user's recently viewed customers as links; nothing until they opened one.
/// A failure to load leaves the search page as it is: the list is a shortcut, not the search.
#[component]
pub fn RecentlyViewed() -> impl IntoView {
    let recent = Resource::new(|| (), |_| recently_viewed());
    view! {
        <Suspense fallback=|| ()>
            {move || recent.get().and_then(Result::ok).filter(|list| !list.is_empty()).map(|list| view! {
                <section class="card recent" aria-labelledby="recent-title">
                    <h2 id="recent-title">"Recently viewed"</h2>
                    <ul class="recent-list">
                        {list.into_iter().map(|customer| view! {
                            <li>
                                <a href=format!("/customers/{}", customer.id)>{customer.name}</a>
                                {customer.is_test.then(|| view! { <span class="badge badge-test">"Test persona"</span> })}
                                <span class="muted">
                                    {customer.status} " · opened " {format_date_time(customer.viewed_at)}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </Suspense>
    }
}
