//! "Merges" on the Profile tab: the merges this customer took part in, and "Undo merge" for
//! users with customers.merge.

use super::api::{merge_history, UndoMerge};
use super::model::MergeRecord;
use crate::auth::{use_can, Permission};
use crate::layout::{form_error, Loaded};
use crate::time::format_date_time;
use leptos::prelude::*;

/// The merge history of customer `id`; hidden while there is none.
#[component]
pub fn MergeHistory(
    /// The customer on screen.
    id: Memo<String>,
    /// Goes up whenever the server says the customer changed.
    live_changes: ReadSignal<u64>,
) -> impl IntoView {
    let undo = ServerAction::<UndoMerge>::new();
    let history = Resource::new(
        move || (id.get(), live_changes.get(), undo.version().get()),
        |(id, _, _)| merge_history(id),
    );
    let may_merge = use_can(Permission::CustomersMerge);
    let undone = move || {
        undo.value().get().and_then(Result::ok).map(|done| {
            let kept = match done.events_kept {
                0 => String::new(),
                1 => " 1 event that arrived after the merge stays with this profile.".into(),
                n => format!(
                    " {} that arrived after the merge stay with this profile.",
                    crate::words::count(n, "event", "events")
                ),
            };
            view! {
                <p class="alert alert-success" role="status">
                    "Merge undone: the other customer is back as "
                    <a href=format!("/customers/{}", done.restored_id)>"their own profile"</a>
                    "." {kept}
                </p>
            }
        })
    };
    let error = form_error(move || undo.value().get().and_then(Result::err));
    view! {
        <Loaded resource=history what="merge history" let:merges>
            {(!merges.is_empty()).then(|| view! {
                <section class="panel" aria-labelledby="merges-title">
                    <h2 id="merges-title">"Merges"</h2>
                    <ul class="merge-list">
                        {merges.into_iter().map(|merge| view! {
                            <MergeLine merge id=id.get_untracked() may_merge undo/>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </Loaded>
        {undone}
        <p class="alert alert-error" role="alert" hidden=move || error.get().is_none()>{error}</p>
    }
}

#[component]
fn MergeLine(
    merge: MergeRecord,
    id: String,
    may_merge: bool,
    undo: ServerAction<UndoMerge>,
) -> impl IntoView {
    let survivor = merge.survivor_id == id;
    let what = if survivor {
        view! { {merge.absorbed_name.clone()} " was merged into this profile" }.into_any()
    } else {
        view! {
            "This profile was merged into "
            <a href=format!("/customers/{}", merge.survivor_id)>"another profile"</a>
        }
        .into_any()
    };
    let moved = merge
        .moved
        .iter()
        .map(|(what, n)| super::model::moved_phrase(what, *n))
        .collect::<Vec<_>>()
        .join(", ");
    let undone = merge.undone_at.map(|at| {
        format!(
            "Undone {} by {}.",
            format_date_time(at),
            merge.undone_by.clone().unwrap_or_default()
        )
    });
    let can_undo = may_merge && survivor && merge.undone_at.is_none();
    let (survivor_id, merge_id) = (merge.survivor_id.clone(), merge.id.clone());
    view! {
        <li class="merge">
            <p>
                {what} " on " {format_date_time(merge.merged_at)} " by " {merge.merged_by.clone()} "."
                {(!moved.is_empty()).then(|| format!(" Moved: {moved}."))}
            </p>
            {undone.map(|text| view! { <p class="muted">{text}</p> })}
            {can_undo.then(|| view! {
                <button type="button" class="button secondary" disabled=move || undo.pending().get()
                    on:click=move |_| {
                        undo.dispatch(UndoMerge {
                            survivor_id: survivor_id.clone(),
                            merge_id: merge_id.clone(),
                        });
                    }>
                    "Undo merge"
                </button>
            })}
        </li>
    }
}
