//! "Possible duplicates" on the Profile tab: who else may be this person and why, with a way
//! to compare and merge for users with customers.merge.

use super::api::possible_duplicates;
use super::model::Suggestion;
use crate::auth::{use_can, Permission};
use crate::layout::Loaded;
use leptos::prelude::*;

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
    view! {
        <section class="panel" aria-labelledby="duplicates-title">
            <h2 id="duplicates-title">"Possible duplicates"</h2>
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
                let href = format!("/customers/{}/profile#duplicates-title", id.get());
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
