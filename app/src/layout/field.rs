//! A labelled form field with its error message, the way every form in the console shows them.

use leptos::prelude::*;

/// A labelled form field with its error message below (`{id}-error`).
#[component]
pub fn Field(
    /// Id of the input inside.
    #[prop(into)]
    id: String,
    /// Visible label.
    #[prop(into)]
    label: String,
    /// Message to show, if the value is wrong.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// The input.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {children()}
            <p class="field-error" id=format!("{id}-error") aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}
