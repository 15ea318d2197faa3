//! The note reasons section of the settings screen.

use super::api::{list_note_reasons, DeleteNoteReason, SaveNoteReason};
use crate::layout::{field_error, form_error, Field, Loaded};
use leptos::form::ActionForm;
use leptos::html;
use leptos::prelude::*;

/// Lists the note reasons with a remove button each, and a form to add one.
#[component]
pub fn NoteReasonSettings() -> impl IntoView {
    let add = ServerAction::<SaveNoteReason>::new();
    let remove = ServerAction::<DeleteNoteReason>::new();
    let reasons = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| list_note_reasons(),
    );
    let form = NodeRef::<html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(form)) = (add.value().get(), form.get()) {
            form.reset();
        }
    });
    let add_error = move || add.value().get().and_then(Result::err);
    let remove_error = form_error(move || remove.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="note-reasons-title">
            <h2 id="note-reasons-title">"Note reasons"</h2>
            <p class="muted">"Agents can file a note under one of these reasons. Removing a reason keeps it on notes already filed."</p>
            <Loaded resource=reasons what="reasons" let:list>
                <ul class="reason-list">
                    {list.into_iter().map(|reason| {
                        let id = reason.id.clone();
                        let name = reason.name.clone();
                        view! {
                            <li>
                                <span>{reason.name}</span>
                                <button type="button" class="link-button danger"
                                    on:click=move |_| { remove.dispatch(DeleteNoteReason { id: id.clone() }); }>
                                    "Remove"<span class="visually-hidden">" reason " {name}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Loaded>
            <p class="alert alert-error" role="alert" hidden=move || remove_error.get().is_none()>{remove_error}</p>
            <ActionForm action=add node_ref=form attr:class="inline-form">
                <Field id="new-reason-name" label="New reason" error=field_error(add_error, "name")>
                    <input id="new-reason-name" name="name" required autocomplete="off" aria-describedby="new-reason-name-error"/>
                </Field>
                <button type="submit" class="button secondary">"Add reason"</button>
            </ActionForm>
        </section>
    }
}
