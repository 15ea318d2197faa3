//! The advanced search's attribute filter: a declared attribute and the exact value to find.

use super::api::list_attribute_types;
use crate::error::AppError;
use crate::layout::Field;
use leptos::prelude::*;

/// An attribute select and a value field (named `attribute` and `value` in the search form);
/// nothing while no attribute is declared. `error` gives the search's message for a field.
#[component]
pub fn AttributeFilter(
    /// The attribute in the URL.
    attribute: String,
    /// The value in the URL.
    value: String,
    /// The search's error for a field name.
    error: Callback<&'static str, Option<AppError>>,
) -> impl IntoView {
    let declared = Resource::new(|| (), |()| list_attribute_types());
    view! {
        <Transition fallback=|| ()>
            {move || declared.get().and_then(Result::ok).filter(|types| !types.is_empty()).map(|types| {
                let chosen = attribute.clone();
                let value = value.clone();
                let message = move |field: &'static str| {
                    Signal::derive(move || error.run(field).and_then(|e| e.for_field(field)))
                };
                view! {
                    <Field id="adv-attribute" label="Profile attribute" error=message("attribute")>
                        <select id="adv-attribute" name="attribute" aria-describedby="adv-attribute-error">
                            <option value="">"Any"</option>
                            {types.into_iter().map(|t| {
                                let selected = t.name == chosen;
                                view! { <option value=t.name.clone() selected=selected>{t.label}</option> }
                            }).collect_view()}
                        </select>
                    </Field>
                    <Field id="adv-value" label="Attribute value (exact)" error=message("value")>
                        <input id="adv-value" name="value" type="text" value=value autocomplete="off"
                            aria-describedby="adv-value-error"/>
                    </Field>
                }
            })}
        </Transition>
    }
}
