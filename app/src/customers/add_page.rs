//! `/customers/new`: the Add Customer form. Validation runs in the browser before sending
//! (the same Rust code as on the server), the server checks again and refuses duplicates.

use super::api::CreateCustomer;
use super::new_customer::{check_in_browser, CreateOutcome};
use crate::auth::{Permission, RequirePermission};
use crate::layout::{CheckedForm, Field};
use crate::settings::api::list_status_types;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// The Add Customer page.
#[component]
pub fn AddCustomerPage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Add customer · Customer Profiles"/>
        <RequirePermission permission=Permission::CustomersCreate>
            <AddCustomerForm/>
        </RequirePermission>
    }
}

#[component]
fn AddCustomerForm() -> impl IntoView {
    let form = CheckedForm::<CreateCustomer>::new("new");
    let action = form.action;
    let statuses = Resource::new(|| (), |_| list_status_types());
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            form.problem(field).or_else(|| match action.value().get() {
                Some(Ok(CreateOutcome::Duplicate {
                    field: f, message, ..
                })) if f == field => Some(message),
                _ => None,
            })
        })
    };
    let duplicate_link = move || match action.value().get() {
        Some(Ok(CreateOutcome::Duplicate {
            existing_id: Some(id),
            ..
        })) => Some(view! {
            <p class="alert alert-info" role="alert">
                "Another customer already has one of these identifiers. "
                <a href=format!("/customers/{id}")>"Open the existing customer"</a>
            </p>
        }),
        _ => None,
    };
    let other_error = move || form.other_error();
    let on_submit =
        move |ev: leptos::ev::SubmitEvent| form.submit(&ev, |data| check_in_browser(&data.form));
    let text = move |id: &'static str,
                     name: &'static str,
                     label: &'static str,
                     kind: &'static str,
                     autocomplete: &'static str| {
        let field = name.trim_start_matches("form[").trim_end_matches(']');
        let error = error_for(field);
        view! {
            <Field id label error>
                <input id=id name=name type=kind autocomplete=autocomplete
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=format!("{id}-error")/>
            </Field>
        }
    };
    view! {
        <div class="page">
            <h1>"Add a customer"</h1>
            {move || match action.value().get() {
                Some(Ok(CreateOutcome::Created(id))) => Some(view! { <Redirect path=format!("/customers/{id}")/> }),
                _ => None,
            }}
            <form class="card" on:submit=on_submit novalidate>
                <p class="alert alert-error" role="alert" hidden=move || other_error().is_none()>{other_error}</p>
                {duplicate_link}
                <fieldset>
                    <legend>"Name"</legend>
                    <div class="form-grid">
                        {text("new-first-name", "form[first_name]", "First name", "text", "off")}
                        {text("new-last-name", "form[last_name]", "Last name", "text", "off")}
                        {text("new-date-of-birth", "form[date_of_birth]", "Date of birth", "date", "off")}
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Identifiers (at least one)"</legend>
                    <div class="form-grid">
                        {text("new-email", "form[email]", "Email", "email", "off")}
                        {text("new-phone", "form[phone]", "Phone", "tel", "off")}
                        {text("new-card-number", "form[card_number]", "Loyalty card number", "text", "off")}
                        {text("new-external-id", "form[external_id]", "External id", "text", "off")}
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Address"</legend>
                    <div class="form-grid">
                        {text("new-address-line", "form[address_line]", "Street address", "text", "off")}
                        {text("new-city", "form[city]", "City", "text", "off")}
                        {text("new-postal-code", "form[postal_code]", "Postal code", "text", "off")}
                        {text("new-country", "form[country]", "Country code (GB, IE, …)", "text", "off")}
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Communication preferences"</legend>
                    <ul class="checkbox-list">
                        <li><input type="checkbox" id="new-email-opt-in" name="form[email_opt_in]"/><label for="new-email-opt-in">"Marketing email"</label></li>
                        <li><input type="checkbox" id="new-sms-opt-in" name="form[sms_opt_in]"/><label for="new-sms-opt-in">"SMS"</label></li>
                        <li><input type="checkbox" id="new-push-opt-in" name="form[push_opt_in]"/><label for="new-push-opt-in">"Push notifications"</label></li>
                    </ul>
                </fieldset>
                <fieldset>
                    <legend>"Status"</legend>
                    <div class="form-grid">
                        <Field id="new-status-id" label="Status" error=error_for("status_id")>
                            <select id="new-status-id" name="form[status_id]">
                                <Suspense fallback=|| ()>
                                    {move || statuses.get().and_then(Result::ok).map(|list| list.into_iter().map(|s| view! {
                                        <option value=s.id.clone() selected=s.is_default>{s.name.clone()}</option>
                                    }).collect_view())}
                                </Suspense>
                            </select>
                        </Field>
                    </div>
                    <p class="checkbox-line">
                        <input type="checkbox" id="new-is-test" name="form[is_test]"/>
                        <label for="new-is-test">"Test persona (kept out of reporting and marked everywhere)"</label>
                    </p>
                </fieldset>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Adding…" } else { "Add customer" }}
                </button>
            </form>
        </div>
    }
}
