//! "Possible duplicates" on the Profile tab: who else may be this person and why, with a way
//! to compare and merge for users with customers.merge.

use super::api::possible_duplicates;
use super::model::Suggestion;
use crate::auth::{use_can, Permission};
use crate::layout::Loaded;
use leptos::prelude::*;

/// The id of the panel's heading, which the notice under the profile header links to; the
/// panel brings it into view (and focus) once its list has loaded.
const TITLE_ID: &str = "duplicates-title";

/// The panel for customer `id`; reloads when the customer changes (an identifier added).
#[component]
pub fn PossibleDuplicates(
    /// The customer on screen.
    id: Memo<String>,
    /// Goes up whenever the server says the customer changed.
    live_changes: ReadSignal<u64>,
) -> impl IntoView {
    let suggestions = Resource::new(
        move || (id.get(), live_changes.get()),
        |(id, _)| possible_duplicates(id),
    );
    let may_merge = use_can(Permission::CustomersMerge);
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        let linked = location.hash.get() == format!("#{TITLE_ID}");
        if linked && suggestions.get().is_some() {
            request_animation_frame(|| crate::layout::focus(TITLE_ID));
        }
    });
    view! {
        <section class="panel" aria-labelledby=TITLE_ID>
            <h2 id=TITLE_ID tabindex="-1">"Possible duplicates"</h2>
            <Loaded resource=suggestions what="possible duplicates" let:list>
                <SuggestionList id=id.get_untracked() list may_merge/>
            </Loaded>
        </section>
    }
}

#[component]
fn SuggestionList(id: String, list: Vec<Suggestion>, may_merge: bool) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"No other customer looks like the same person."</p> }
            .into_any();
    }
    view! {
        <ul class="duplicate-list">
            {list
                .into_iter()
                .map(|suggestion| {
                    let review = format!("/customers/{id}/merge/{}", suggestion.customer_id);
                    let name = suggestion.name.clone();
                    view! {
                        <li class="duplicate">
                            <a class="duplicate-name" href=format!("/customers/{}", suggestion.customer_id)>
                                {suggestion.name}
                            </a>
                            {suggestion.is_test.then(|| view! { " " <span class="badge badge-test">"Test persona"</span> })}
                            <ul class="duplicate-reasons">
                                {suggestion
                                    .reasons
                                    .into_iter()
                                    .map(|(reason, shared)| {
                                        let shown = (!shared.is_empty()).then(|| view! { ": " <span class="shared">{shared}</span> });
                                        view! { <li>{reason.describe()} {shown}</li> }
                                    })
                                    .collect_view()}
                            </ul>
                            {may_merge.then(|| view! {
                                <a class="button secondary" href=review aria-label=format!("Compare and merge with {name}")>
                                    "Compare and merge"
                                </a>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// A line under the profile header when other customers may be this person, linking to
/// "Possible duplicates" on the Profile tab; nothing otherwise.
#[component]
pub fn DuplicatesNotice(
    /// The customer on screen.
    id: Memo<String>,
    /// Goes up whenever the server says the customer changed.
    live_changes: ReadSignal<u64>,
) -> impl IntoView {
    let suggestions = Resource::new(
        move || (id.get(), live_changes.get()),
        |(id, _)| possible_duplicates(id),
    );
    view! {
        <Transition fallback=|| ()>
            {move || {
                let found = suggestions.get().and_then(Result::ok).filter(|list| !list.is_empty())?;
                let href = format!("/customers/{}/profile#{TITLE_ID}", id.get());
                let count = crate::words::count(found.len() as i64, "possible duplicate", "possible duplicates");
                Some(view! {
                    <p class="duplicates-notice" role="note">
                        "Another profile may be this person: "
                        <a href=href>{format!("review {count}")}</a>
                    </p>
                })
            }}
        </Transition>
    }
}
