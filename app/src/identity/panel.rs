//! The Identifiers panel of the Profile tab: every email, phone, loyalty card and external id
//! of the customer, with add, remove and make primary for users with profile.edit and
//! customers.view_pii (the server checks both again).

use super::api::{list_identifiers, AddIdentifier, MakeIdentifierPrimary, RemoveIdentifier};
use super::model::{HeldIdentifier, IdentifierKind};
use crate::auth::{use_can, Permission};
use crate::layout::{
    field_error, form_error, Column, ConfirmButton, DataTable, Field, Loaded, TableName,
};
use crate::time::format_date;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The panel; `on_changed` runs after a change (the profile above shows the primaries).
#[component]
pub fn IdentifiersPanel(
    /// The customer on screen.
    id: Memo<String>,
    /// Goes up whenever the server says the customer changed.
    live_changes: ReadSignal<u64>,
    /// Called after an identifier was added, removed or made primary.
    on_changed: Callback<()>,
) -> impl IntoView {
    let add = ServerAction::<AddIdentifier>::new();
    let remove = ServerAction::<RemoveIdentifier>::new();
    let promote = ServerAction::<MakeIdentifierPrimary>::new();
    let identifiers = Resource::new(
        move || {
            let versions = (
                add.version().get(),
                remove.version().get(),
                promote.version().get(),
            );
            (id.get(), versions, live_changes.get())
        },
        |(id, _, _)| list_identifiers(id),
    );
    // Reload what shows the primaries (profile fields, header) after every answer.
    Effect::watch(
        move || {
            (
                add.version().get(),
                remove.version().get(),
                promote.version().get(),
            )
        },
        move |_, _, _| on_changed.run(()),
        false,
    );
    // An added value is cleared from the form, ready for the next.
    let value_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(input)) = (add.value().get(), value_input.get()) {
            input.set_value("");
        }
    });
    let may_edit = use_can(Permission::ProfileEdit) && use_can(Permission::CustomersViewPii);
    let add_error = move || add.value().get().and_then(Result::err);
    let list_error = form_error(move || {
        let latest = [remove.value().get(), promote.value().get()];
        latest.into_iter().flatten().last().and_then(Result::err)
    });
    view! {
        <section class="panel" aria-labelledby="identifiers-title">
            <h2 id="identifiers-title">"Identifiers"</h2>
            <Loaded resource=identifiers what="identifiers" let:list>
                <IdentifierTable id list may_edit remove promote/>
            </Loaded>
            <p class="alert alert-error" role="alert" hidden=move || list_error.get().is_none()>
                {list_error}
            </p>
            {may_edit.then(|| view! {
                <ActionForm action=add attr:class="inline-form">
                    <input type="hidden" name="customer_id" value=move || id.get()/>
                    <Field id="identifier-kind" label="Kind" error=field_error(add_error, "kind")>
                        <select id="identifier-kind" name="kind" aria-describedby="identifier-kind-error">
                            {IdentifierKind::HELD
                                .map(|kind| view! { <option value=kind.name()>{kind.label()}</option> })
                                .collect_view()}
                        </select>
                    </Field>
                    <Field id="identifier-value" label="Value" error=field_error(add_error, "value")>
                        <input id="identifier-value" name="value" required autocomplete="off" node_ref=value_input
                            maxlength="254" aria-describedby="identifier-value-error"/>
                    </Field>
                    <label class="checkbox-field">
                        <input type="checkbox" name="primary" value="on"/>
                        "Make primary"
                    </label>
                    <button type="submit" class="button secondary" disabled=move || add.pending().get()>
                        "Add identifier"
                    </button>
                    <p class="alert alert-error" role="alert" hidden=move || form_error(add_error).get().is_none()>
                        {form_error(add_error)}
                    </p>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn IdentifierTable(
    id: Memo<String>,
    list: Vec<HeldIdentifier>,
    may_edit: bool,
    remove: ServerAction<RemoveIdentifier>,
    promote: ServerAction<MakeIdentifierPrimary>,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"No identifiers."</p> }.into_any();
    }
    view! {
        <DataTable class="identifiers" name=TableName::Section columns=vec![Column::text("Kind"), Column::text("Value"), Column::text("Added"), Column::text("By"), Column::hidden("Actions")]>
            {list.into_iter().map(|held| {
                let kind = held.kind;
                let actions = held.key.clone().filter(|_| may_edit).map(|key| {
                    let (promote_key, remove_key) = (key.clone(), key);
                    let shown = held.shown.clone();
                    view! {
                        {(!held.is_primary).then(|| view! {
                            <button type="button" class="button secondary"
                                aria-label=format!("Make primary: {shown}") on:click=move |_| {
                                promote.dispatch(MakeIdentifierPrimary {
                                    customer_id: id.get_untracked(),
                                    kind: kind.name().into(),
                                    key: promote_key.clone(),
                                });
                            }>
                                "Make primary"
                            </button>
                        })}
                        <ConfirmButton label="Remove" subject=held.shown.clone()
                            question=format!("Remove it? It will no longer find this customer (events, imports and searches by {} miss them).", held.shown)
                            confirm="Remove identifier"
                            on_confirm=Callback::new(move |_| {
                                remove.dispatch(RemoveIdentifier {
                                    customer_id: id.get_untracked(),
                                    kind: kind.name().into(),
                                    key: remove_key.clone(),
                                });
                            })/>
                    }
                });
                view! {
                    <tr>
                        <td>{kind.label()}</td>
                        <td>
                            {held.shown.clone()}
                            {held.is_primary.then(|| view! { <span class="badge">"Primary"</span> })}
                        </td>
                        <td>{format_date(held.added_at)}</td>
                        <td>{source_label(&held.source)}</td>
                        <td><div class="row-actions">{actions}</div></td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}

/// How the table names where an identifier came from.
fn source_label(source: &str) -> &'static str {
    match source {
        "console" => "Console",
        "ingest" => "Event",
        "import" => "Import",
        _ => "Profile",
    }
}
