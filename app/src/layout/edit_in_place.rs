//! A list with one form below it that adds an item or edits the one chosen: the row's Edit
//! button, the form's Save / Cancel, and the reload after a save. A refused form keeps what was
//! typed: only a save reloads the list (and closes the edit).

use super::modal::focus;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The item being edited (`None`: the form adds one) and a counter that moves after each
/// successful `save`, for the list's resource to reload on.
pub fn edit_in_place<A, O, E, T>(save: ServerAction<A>) -> (RwSignal<Option<T>>, RwSignal<usize>)
where
    A: ServerFn<Output = O, Error = E> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
    E: Clone + Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    let editing = RwSignal::new(None::<T>);
    let saved = RwSignal::new(0_usize);
    Effect::new(move |_| {
        if save.value().get().is_some_and(|r| r.is_ok()) {
            editing.set(None);
            saved.update(|n| *n += 1);
        }
    });
    (editing, saved)
}

/// A row's Edit button: opens `item` in the form below and takes the reader to `first_field`.
#[component]
pub fn EditButton<T>(
    /// What it edits, for screen readers ("Edit Oxford Street entrance").
    label: String,
    /// The row's item.
    item: T,
    /// The form's item.
    editing: RwSignal<Option<T>>,
    /// Id of the form's first field.
    first_field: &'static str,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    view! {
        <button type="button" class="button secondary" aria-label=label
            on:click=move |_| {
                editing.set(Some(item.clone()));
                request_animation_frame(move || focus(first_field));
            }>"Edit"</button>
    }
}

/// The form's buttons: "Add …" or "Save changes", and Cancel while editing.
#[component]
pub fn SaveOrCancel<T>(
    /// The form's item.
    editing: RwSignal<Option<T>>,
    /// Whether the form shows an item (it was drawn for one).
    editing_one: bool,
    /// The submit button's words when adding.
    add: &'static str,
    /// Whether a save is under way.
    #[prop(into)]
    pending: Signal<bool>,
) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    view! {
        <div class="form-actions">
            <button type="submit" class="button" disabled=move || pending.get()>
                {if editing_one { "Save changes" } else { add }}
            </button>
            {editing_one.then(|| view! {
                <button type="button" class="button secondary" on:click=move |_| editing.set(None)>"Cancel"</button>
            })}
        </div>
    }
}
