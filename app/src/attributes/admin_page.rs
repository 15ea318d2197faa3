//! `/admin/attributes`: the custom profile attributes, their labels and kinds; declare one,
//! remove one nobody holds. Needs settings.manage.

use super::api::{list_attribute_types, AddAttributeType, RemoveAttributeType};
use super::model::{AttributeKind, AttributeType};
use crate::auth::{Permission, RequirePermission};
use crate::layout::{field_error, form_error, Column, DataTable, Field, Loaded, TableName};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The profile attributes screen.
#[component]
pub fn AttributeTypesPage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Profile attributes · Customer Profiles"/>
        <RequirePermission permission=Permission::SettingsManage>
            <AttributeTypes/>
        </RequirePermission>
    }
}

#[component]
fn AttributeTypes() -> impl IntoView {
    let add = ServerAction::<AddAttributeType>::new();
    let remove = ServerAction::<RemoveAttributeType>::new();
    let types = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| list_attribute_types(),
    );
    let add_error = move || add.value().get().and_then(Result::err);
    let remove_error = form_error(move || remove.value().get().and_then(Result::err));
    view! {
        <div class="page">
            <h1>"Profile attributes"</h1>
            <p class="muted">
                "Custom fields of a customer. A " <code>"profile_updated"</code>
                " event sets one with its name as a payload key (" <code>"{\"favourite_drink\": \"Flat white\"}"</code>
                "; " <code>"null"</code> " removes it), the profile edit changes it, the Profile tab shows it, the export holds it, and the advanced search finds customers by its exact value."
            </p>
            <section class="panel" aria-labelledby="attributes-title">
                <h2 id="attributes-title">"Declared attributes"</h2>
                <Loaded resource=types what="profile attributes" let:list>
                    <TypeTable list remove/>
                </Loaded>
                <p class="alert alert-error" role="alert" hidden=move || remove_error.get().is_none()>{remove_error}</p>
            </section>
            <section class="panel" aria-labelledby="add-attribute-title">
                <h2 id="add-attribute-title">"Declare an attribute"</h2>
                <ActionForm action=add attr:class="inline-form">
                    <Field id="attribute-name" label="Name (as the API sends it)" error=field_error(add_error, "name")>
                        <input id="attribute-name" name="name" required autocomplete="off" maxlength="64"
                            placeholder="favourite_drink" aria-describedby="attribute-name-error"/>
                    </Field>
                    <Field id="attribute-label" label="Label" error=field_error(add_error, "label")>
                        <input id="attribute-label" name="label" required autocomplete="off" maxlength="80"
                            placeholder="Favourite drink" aria-describedby="attribute-label-error"/>
                    </Field>
                    <Field id="attribute-kind" label="Kind" error=field_error(add_error, "kind")>
                        <select id="attribute-kind" name="kind" aria-describedby="attribute-kind-error">
                            {AttributeKind::ALL
                                .map(|k| view! { <option value=k.as_str()>{k.label()}</option> })
                                .collect_view()}
                        </select>
                    </Field>
                    <button type="submit" class="button" disabled=move || add.pending().get()>"Declare"</button>
                    <p class="alert alert-error" role="alert" hidden=move || form_error(add_error).get().is_none()>
                        {form_error(add_error)}
                    </p>
                </ActionForm>
            </section>
        </div>
    }
}

#[component]
fn TypeTable(list: Vec<AttributeType>, remove: ServerAction<RemoveAttributeType>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"None yet."</p> }.into_any();
    }
    view! {
        <DataTable class="attribute-types" name=TableName::Section
            columns=vec![Column::text("Label"), Column::text("Name"), Column::text("Kind"), Column::number("Customers"), Column::hidden("Actions")]>
            {list.into_iter().map(|t| {
                let name = t.name.clone();
                let label = t.label.clone();
                view! {
                    <tr>
                        <td>{t.label.clone()}</td>
                        <td><code>{t.name.clone()}</code></td>
                        <td>{t.kind.label()}</td>
                        <td class="number">{crate::time::format_count(t.in_use)}</td>
                        <td>
                            {(t.in_use == 0).then(|| view! {
                                <button type="button" class="button secondary" aria-label=format!("Remove {label}")
                                    on:click=move |_| { remove.dispatch(RemoveAttributeType { name: name.clone() }); }>
                                    "Remove"
                                </button>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}
