//! The Profile tab in edit mode: the three sections as inline fields, validated in the
//! browser with the same code as Add Customer, saved against the version it started from.

use super::api::UpdateCustomerProfile;
use super::model::CustomerProfile;
use super::new_customer::check_in_browser;
use crate::error::AppError;
use crate::layout::{CheckedForm, Field};
use leptos::prelude::*;

/// Edit form for `profile`; `on_saved` after a successful save, `on_cancel` to discard,
/// `on_reload` to drop the edits and load the latest profile after a conflict.
#[component]
pub fn ProfileEditForm(
    profile: CustomerProfile,
    on_saved: Callback<()>,
    on_cancel: Callback<()>,
    on_reload: Callback<()>,
) -> impl IntoView {
    let form = CheckedForm::<UpdateCustomerProfile>::new("edit");
    let action = form.action;
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            on_saved.run(());
        }
    });
    let error_for = move |field: &'static str| Signal::derive(move || form.problem(field));
    let conflict = move || matches!(action.value().get(), Some(Err(AppError::Conflict(_))));
    let other_error = move || form.other_error();
    let on_submit =
        move |ev: leptos::ev::SubmitEvent| form.submit(&ev, |data| check_in_browser(&data.form));
    let text = move |field: &'static str,
                     label: &'static str,
                     kind: &'static str,
                     value: Option<String>| {
        let id = format!("edit-{}", field.replace('_', "-"));
        let error = error_for(field);
        view! {
            <Field id=id.clone() label error>
                <input
                    id=id.clone()
                    name=format!("form[{field}]")
                    type=kind
                    value=value.unwrap_or_default()
                    autocomplete="off"
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=format!("{id}-error")
                />
            </Field>
        }
    };
    let checkbox = |field: &'static str, label: &'static str, checked: bool| {
        let id = format!("edit-{}", field.replace('_', "-"));
        view! {
            <li>
                <input type="checkbox" id=id.clone() name=format!("form[{field}]") checked=checked/>
                <label for=id>{label}</label>
            </li>
        }
    };
    let p = profile;
    view! {
        <form class="profile-sections profile-edit" on:submit=on_submit novalidate aria-label="Edit profile">
            <input type="hidden" name="id" value=p.id.clone()/>
            <input type="hidden" name="version" value=p.version.to_string()/>
            <div class="alert alert-error" role="alert" hidden=move || other_error().is_none()>
                <p>{other_error}</p>
                <Show when=conflict>
                    <button type="button" class="button secondary" on:click=move |_| on_reload.run(())>
                        "Discard my changes and load the latest profile"
                    </button>
                </Show>
            </div>
            <section class="panel">
                <h2>"Basic info"</h2>
                <div class="form-grid">
                    {text("first_name", "First name", "text", p.contact.first_name)}
                    {text("last_name", "Last name", "text", p.contact.last_name)}
                    {text("email", "Email", "email", p.contact.email)}
                    {text("phone", "Phone", "tel", p.contact.phone)}
                    {text("card_number", "Loyalty card", "text", p.contact.card_number)}
                    {text("external_id", "External id", "text", p.contact.external_id)}
                </div>
            </section>
            <section class="panel">
                <h2>"Profile attributes"</h2>
                <div class="form-grid">
                    {text("date_of_birth", "Date of birth", "date", p.contact.date_of_birth)}
                    {text("address_line", "Address", "text", p.contact.address_line)}
                    {text("city", "City", "text", p.contact.city)}
                    {text("postal_code", "Postal code", "text", p.contact.postal_code)}
                    {text("country", "Country code (GB, IE, …)", "text", p.contact.country)}
                </div>
                <div class="form-grid">
                    <AttributeFields values=p.attributes.clone() action/>
                </div>
            </section>
            <section class="panel">
                <h2>"Communication preferences"</h2>
                <ul class="checkbox-list">
                    {checkbox("email_opt_in", "Marketing email", p.email_opt_in)}
                    {checkbox("sms_opt_in", "SMS", p.sms_opt_in)}
                    {checkbox("push_opt_in", "Push notifications", p.push_opt_in)}
                </ul>
            </section>
            <div class="form-actions">
                <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Saving…" } else { "Save profile" }}
                </button>
            </div>
        </form>
    }
}

/// An input per declared custom attribute (blank removes it), typed by its kind.
#[component]
fn AttributeFields(
    values: Vec<crate::attributes::AttributeValue>,
    action: ServerAction<UpdateCustomerProfile>,
) -> impl IntoView {
    use crate::attributes::{list_attribute_types, AttributeKind};
    let declared = Resource::new(|| (), |()| list_attribute_types());
    view! {
        <Transition fallback=|| ()>
            {move || declared.get().and_then(Result::ok).map(|types| {
                let values = values.clone();
                types.into_iter().map(move |t| {
                    let id = format!("edit-attribute-{}", t.name.replace('_', "-"));
                    let name = format!("attributes[{}]", t.name);
                    let current = values.iter().find(|v| v.name == t.name).map(|v| v.value.clone()).unwrap_or_default();
                    let field = name.clone();
                    let error = Signal::derive(move || match action.value().get() {
                        Some(Err(error)) => error.for_field(&field),
                        _ => None,
                    });
                    let input = match t.kind {
                        AttributeKind::Boolean => view! {
                            <select id=id.clone() name=name aria-describedby=format!("{id}-error")>
                                <option value="" selected=current.is_empty()>"Not set"</option>
                                <option value="true" selected=current == "true">"Yes"</option>
                                <option value="false" selected=current == "false">"No"</option>
                            </select>
                        }.into_any(),
                        kind => {
                            let kind = match kind {
                                AttributeKind::Number => "number",
                                AttributeKind::Date => "date",
                                AttributeKind::Url => "url",
                                _ => "text",
                            };
                            view! {
                                <input id=id.clone() name=name type=kind value=current autocomplete="off" step="any"
                                    aria-invalid=move || error.get().is_some().then_some("true")
                                    aria-describedby=format!("{id}-error")/>
                            }.into_any()
                        }
                    };
                    view! { <Field id=id.clone() label=t.label.clone() error>{input}</Field> }
                }).collect_view()
            })}
        </Transition>
    }
}
