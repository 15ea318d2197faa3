//! `/admin/event-types`: the event-type registry. Admins set each type's category, its
//! one-line summary template and which details show, preview the template (rendered in the
//! browser by the same code the server uses for the stream), and add custom types.

use super::registry::{list_event_types, SaveEventType};
use super::template::{render_summary, EventTypeDef, Facts};
use crate::auth::{Permission, RequirePermission};
use crate::layout::{field_error, form_error, Column, DataTable, Field, Loaded, TableName};
use leptos::form::ActionForm;
use leptos::prelude::*;
use serde_json::{json, Value};

/// The event types screen.
#[component]
pub fn EventTypesPage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Event types · Customer Profiles"/>
        <RequirePermission permission=Permission::SettingsManage>
            <EventTypes/>
        </RequirePermission>
    }
}

#[component]
fn EventTypes() -> impl IntoView {
    let save = ServerAction::<SaveEventType>::new();
    let types = Resource::new(move || save.version().get(), |_| list_event_types());
    let editing = RwSignal::new(None::<(EventTypeDef, bool)>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            editing.set(None);
        }
    });
    let add = move |_| {
        save.clear();
        editing.set(Some((blank_custom_type(), true)));
    };
    view! {
        <div class="page">
            <h1>"Event types"</h1>
            <p class="muted">
                "How each kind of event reads in the stream. In a summary, "<code>"{key}"</code>
                " is replaced by that payload field, or by "<code>"{amount}"</code>", "<code>"{points}"</code>", "
                <code>"{store}"</code>" or "<code>"{source}"</code>"; a part in square brackets, like "
                <code>"[ at {store}]"</code>", is left out when a field in it has no value; "
                <code>"{points|point|points}"</code>" adds the right word for the count."
            </p>
            <button type="button" class="button secondary" on:click=add>"Add a custom type"</button>
            {move || editing.get().map(|(def, is_new)| view! { <TypeForm def is_new save editing/> })}
            <Loaded resource=types what="event types" let:list>
                <TypeTable list editing save/>
            </Loaded>
        </div>
    }
}

fn blank_custom_type() -> EventTypeDef {
    EventTypeDef {
        name: String::new(),
        category: String::new(),
        summary_template: String::new(),
        detail_fields: Vec::new(),
        required_fields: Vec::new(),
        builtin: false,
        ingestible: true,
    }
}

#[component]
fn TypeTable(
    list: Vec<EventTypeDef>,
    editing: RwSignal<Option<(EventTypeDef, bool)>>,
    save: ServerAction<SaveEventType>,
) -> impl IntoView {
    view! {
        <DataTable class="event-types" name=TableName::Caption("Event types") columns=vec![Column::text("Type"), Column::text("Category"), Column::text("Summary"), Column::text("Details shown"), Column::hidden("Actions")]>
            {list.into_iter().map(|def| {
                let label = super::event_label(&def.name);
                let origin = match (def.builtin, def.ingestible) {
                    (false, _) => "custom",
                    (true, true) => "built in",
                    (true, false) => "built in, console only",
                };
                let details = if def.detail_fields.is_empty() {
                    "All".to_string()
                } else {
                    def.detail_fields.join(", ")
                };
                let row = def.clone();
                view! {
                    <tr>
                        <td><strong>{label.clone()}</strong><br/><code>{def.name.clone()}</code>" · " {origin}</td>
                        <td>{def.category.clone()}</td>
                        <td><code>{def.summary_template.clone()}</code></td>
                        <td>{details}</td>
                        <td>
                            <button type="button" class="button secondary" on:click=move |_| {
                                save.clear();
                                editing.set(Some((row.clone(), false)));
                            }>
                                "Edit"<span class="visually-hidden">" " {label}</span>
                            </button>
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

#[component]
fn TypeForm(
    def: EventTypeDef,
    is_new: bool,
    save: ServerAction<SaveEventType>,
    editing: RwSignal<Option<(EventTypeDef, bool)>>,
) -> impl IntoView {
    let error = move || save.value().get().and_then(Result::err);
    let template = RwSignal::new(def.summary_template.clone());
    let title = if is_new {
        "New custom type".to_string()
    } else {
        format!("Edit “{}”", super::event_label(&def.name))
    };
    let general = form_error(error);
    view! {
        <section class="card" aria-labelledby="type-form-title">
            <h2 id="type-form-title">{title}</h2>
            <ActionForm action=save attr:class="stacked-form">
                {if is_new {
                    view! {
                        <input type="hidden" name="custom" value="1"/>
                        <Field id="type-name" label="Type name (as senders write it)" error=field_error(error, "name")>
                            <input id="type-name" name="name" required autocomplete="off" placeholder="survey_completed"
                                aria-describedby="type-name-error"/>
                        </Field>
                        <Field id="type-required" label="Required payload fields (comma-separated)" error=field_error(error, "required_fields")>
                            <input id="type-required" name="required_fields" autocomplete="off" placeholder="score"
                                aria-describedby="type-required-error"/>
                        </Field>
                    }.into_any()
                } else {
                    view! { <input type="hidden" name="name" value=def.name.clone()/> }.into_any()
                }}
                <Field id="type-category" label="Category" error=field_error(error, "category")>
                    <input id="type-category" name="category" required autocomplete="off" value=def.category.clone()
                        aria-describedby="type-category-error"/>
                </Field>
                <Field id="type-summary" label="Summary" error=field_error(error, "summary_template")>
                    <input id="type-summary" name="summary_template" required autocomplete="off"
                        prop:value=move || template.get()
                        on:input=move |ev| template.set(event_target_value(&ev))
                        aria-describedby="type-summary-error"/>
                </Field>
                <p class="template-preview">
                    "Preview: "<output for="type-summary" data-testid="template-preview">{move || preview(&template.get())}</output>
                </p>
                <Field id="type-details" label="Details to show (comma-separated; empty shows all)" error=field_error(error, "detail_fields")>
                    <input id="type-details" name="detail_fields" autocomplete="off" value=def.detail_fields.join(", ")
                        aria-describedby="type-details-error"/>
                </Field>
                <p class="alert alert-error" role="alert" hidden=move || general.get().is_none()>{general}</p>
                <div class="form-actions">
                    <button type="submit" class="button">"Save event type"</button>
                    <button type="button" class="button secondary" on:click=move |_| editing.set(None)>"Cancel"</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// `template` filled with example values, so an admin sees what agents will read.
fn preview(template: &str) -> String {
    let payload = example_payload();
    render_summary(
        template,
        &Facts {
            payload: &payload,
            amount: Some("7.50".into()),
            points: Some("25".into()),
            store: Some("London Oxford Street"),
            source: "pos",
        },
    )
}

fn example_payload() -> Value {
    json!({
        "currency": "GBP", "tier": "Gold", "reward": "Free coffee", "offer": "Free pastry",
        "code": "WELCOME10", "reason": "code already used", "tag": "vip",
        "campaign": "Autumn stamps", "progress": 3, "goal": 8, "platform": "iOS",
        "model": "iPhone 15", "from": "Active", "to": "VIP", "email": "sam@example.com",
        "rule": "1 point per £1", "score": 9
    })
}
