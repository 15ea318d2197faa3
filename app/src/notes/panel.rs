//! The Notes tab and the notes widget on the Activity tab: add, edit and delete notes.

use super::api::{list_note_reasons, list_notes, AddNote, DeleteNote, EditNote};
use super::model::{Note, NoteReason, MAX_NOTE_CHARS};
use crate::auth::{use_can, Permission};
use crate::customers::use_customer_id;
use crate::layout::{field_error, form_error, Field, Loaded};
use crate::time::format_date_time;
use leptos::form::ActionForm;
use leptos::html;
use leptos::prelude::*;

/// The Notes tab: every note of the customer, newest first.
#[component]
pub fn NotesTab() -> impl IntoView {
    view! { <NotesPanel limit=200 compact=false/> }
}

/// Notes of the customer on screen, newest first, with the add form for users with
/// notes.write. `compact` shows the newest `limit` with a link to the Notes tab.
#[component]
pub fn NotesPanel(
    /// How many notes to show.
    limit: i64,
    /// The Activity tab's widget rather than the Notes tab.
    compact: bool,
) -> impl IntoView {
    let customer_id = use_customer_id();
    let version = RwSignal::new(0u32);
    let notes = Resource::new(
        move || (customer_id.get(), version.get()),
        move |(id, _)| list_notes(id, limit),
    );
    let reasons = Resource::new(|| (), |_| list_note_reasons());
    let reasons = Signal::derive(move || reasons.get().and_then(Result::ok).unwrap_or_default());
    let can_write = use_can(Permission::NotesWrite);
    view! {
        <section class="panel notes-panel" aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Notes"</h2>
            {can_write.then(|| view! { <AddNoteForm reasons version/> })}
            <Loaded resource=notes what="notes" let:value>
                {match value {
                    list if list.is_empty() => {
                        view! { <p class="muted">"No notes yet."</p> }.into_any()
                    }
                    list => {
                        view! {
                            <ol class="note-list">
                                {list
                                    .into_iter()
                                    .map(|note| view! { <NoteItem note reasons version can_write/> })
                                    .collect_view()}
                            </ol>
                        }
                            .into_any()
                    }
                }}
            </Loaded>
            {compact
                .then(|| {
                    view! {
                        <a class="fact-link" href=move || format!("/customers/{}/notes", customer_id.get())>
                            "All notes"
                        </a>
                    }
                })}
        </section>
    }
}

/// `<option>`s for the reason select: none, then the configured reasons.
fn reason_options(reasons: Vec<NoteReason>, selected: Option<String>) -> impl IntoView {
    view! {
        <option value="" selected=selected.is_none()>"No reason"</option>
        {reasons
            .into_iter()
            .map(|r| {
                let is_selected = selected.as_deref() == Some(r.name.as_str());
                let label = r.name.clone();
                view! { <option value=r.name selected=is_selected>{label}</option> }
            })
            .collect_view()}
    }
}

#[component]
fn AddNoteForm(reasons: Signal<Vec<NoteReason>>, version: RwSignal<u32>) -> impl IntoView {
    let customer_id = use_customer_id();
    let action = ServerAction::<AddNote>::new();
    let form = NodeRef::<html::Form>::new();
    let error = move || action.value().get().and_then(Result::err);
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            if let Some(form) = form.get() {
                form.reset();
            }
            version.update(|v| *v += 1);
        }
    });
    let general = form_error(error);
    view! {
        <ActionForm action node_ref=form attr:class="note-form" attr:aria-label="Add a note">
            <input type="hidden" name="customer_id" value=move || customer_id.get()/>
            <Field id="note-reason" label="Reason (optional)" error=field_error(error, "reason")>
                <select id="note-reason" name="reason" aria-describedby="note-reason-error">
                    <Suspense fallback=|| ()>{move || reason_options(reasons.get(), None)}</Suspense>
                </select>
            </Field>
            <Field id="note-body" label="Note" error=field_error(error, "body")>
                <textarea
                    id="note-body"
                    name="body"
                    rows="3"
                    required
                    maxlength=MAX_NOTE_CHARS.to_string()
                    aria-describedby="note-body-error"
                ></textarea>
            </Field>
            <p class="alert alert-error" role="alert" hidden=move || general.get().is_none()>
                {general}
            </p>
            <button type="submit" class="button" disabled=move || action.pending().get()>
                "Add note"
            </button>
        </ActionForm>
    }
}

/// One note: when and by whom, its text, and (for those who may write) Edit and Delete.
#[component]
fn NoteItem(
    note: Note,
    reasons: Signal<Vec<NoteReason>>,
    version: RwSignal<u32>,
    can_write: bool,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let edited = note.edited_at.map(|at| {
        format!(
            "Edited {} by {}",
            format_date_time(at),
            note.edited_by.clone().unwrap_or_default()
        )
    });
    let meta = view! {
        <p class="note-meta">
            <time>{format_date_time(note.created_at)}</time>
            {note.reason.clone().map(|r| view! { " · " <span class="note-reason">{r}</span> })}
            " · " {note.author_name.clone()}
        </p>
        {edited.map(|text| view! { <p class="note-edited muted">{text}</p> })}
    };
    let body_or_form = move || {
        let note = note.clone();
        if editing.get() {
            view! { <NoteEditForm note reasons editing version/> }.into_any()
        } else {
            view! {
                <p class="note-body">{note.body}</p>
                {can_write.then(|| view! { <NoteActions id=note.id editing version/> })}
            }
            .into_any()
        }
    };
    view! { <li class="note">{meta} {body_or_form}</li> }
}

/// Edit and Delete for one note; Delete asks first.
#[component]
fn NoteActions(id: String, editing: RwSignal<bool>, version: RwSignal<u32>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let delete = ServerAction::<DeleteNote>::new();
    let customer_id = use_customer_id();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            version.update(|v| *v += 1);
        }
    });
    let delete_error = form_error(move || delete.value().get().and_then(Result::err));
    view! {
        <div class="note-actions" hidden=move || confirming.get()>
            <button type="button" class="link-button" on:click=move |_| editing.set(true)>
                "Edit"<span class="visually-hidden">" note"</span>
            </button>
            <button type="button" class="link-button danger" on:click=move |_| confirming.set(true)>
                "Delete"<span class="visually-hidden">" note"</span>
            </button>
        </div>
        <div class="note-confirm" role="group" aria-label="Confirm deletion" hidden=move || !confirming.get()>
            <span>"Delete this note?"</span>
            <button
                type="button"
                class="button danger"
                on:click=move |_| {
                    delete.dispatch(DeleteNote { customer_id: customer_id.get(), id: id.clone() });
                }
            >
                "Delete note"
            </button>
            <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>
                "Keep"
            </button>
        </div>
        <p class="alert alert-error" role="alert" hidden=move || delete_error.get().is_none()>
            {delete_error}
        </p>
    }
}

/// A note's text and reason in a form, focused when it opens; closes when saved.
#[component]
fn NoteEditForm(
    note: Note,
    reasons: Signal<Vec<NoteReason>>,
    editing: RwSignal<bool>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let edit = ServerAction::<EditNote>::new();
    let customer_id = use_customer_id();
    let textarea = NodeRef::<html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = edit.value().get() {
            editing.set(false);
            version.update(|v| *v += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(textarea) = textarea.get() {
            let _ = textarea.focus();
        }
    });
    let edit_error = move || edit.value().get().and_then(Result::err);
    let edit_general = form_error(edit_error);
    let body_id = format!("note-{}-body", note.id);
    let reason_id = format!("note-{}-reason", note.id);
    let reason = note.reason.clone();
    view! {
        <ActionForm action=edit attr:class="note-form" attr:aria-label="Edit note">
            <input type="hidden" name="customer_id" value=customer_id.get()/>
            <input type="hidden" name="id" value=note.id.clone()/>
            <Field id=reason_id.clone() label="Reason (optional)" error=field_error(edit_error, "reason")>
                <select id=reason_id.clone() name="reason">
                    <Suspense fallback=|| ()>{move || reason_options(reasons.get(), reason.clone())}</Suspense>
                </select>
            </Field>
            <Field id=body_id.clone() label="Note" error=field_error(edit_error, "body")>
                <textarea
                    id=body_id.clone()
                    name="body"
                    rows="3"
                    required
                    maxlength=MAX_NOTE_CHARS.to_string()
                    node_ref=textarea
                    aria-describedby=format!("{body_id}-error")
                >
                    {note.body.clone()}
                </textarea>
            </Field>
            <p class="alert alert-error" role="alert" hidden=move || edit_general.get().is_none()>
                {edit_general}
            </p>
            <div class="dialog-actions">
                <button type="button" class="button secondary" on:click=move |_| editing.set(false)>
                    "Cancel"
                </button>
                <button type="submit" class="button" disabled=move || edit.pending().get()>
                    "Save note"
                </button>
            </div>
        </ActionForm>
    }
}
