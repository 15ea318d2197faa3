//! A button for an action that cannot be taken back: pressed, it asks first, naming what will
//! happen, with the action and "Keep" side by side.

use leptos::prelude::*;

/// The button, then its question.
#[component]
pub fn ConfirmButton(
    /// The button's text (`Remove`).
    label: &'static str,
    /// What the button acts on, for screen readers (`+44 7700 900123`).
    #[prop(into)]
    subject: String,
    /// The question, naming what happens (`Remove it? It no longer finds this customer.`).
    #[prop(into)]
    question: String,
    /// The confirming button's text (`Remove identifier`).
    confirm: &'static str,
    /// What to do once confirmed.
    on_confirm: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    view! {
        <button type="button" class="button secondary" hidden=move || asking.get()
            on:click=move |_| asking.set(true)>
            {label}<span class="visually-hidden">{format!(" {subject}")}</span>
        </button>
        <span class="confirm-group" role="group" aria-label=format!("Confirm: {label} {subject}")
            hidden=move || !asking.get()>
            <span>{question}</span>
            <button type="button" class="button danger" on:click=move |_| {
                asking.set(false);
                on_confirm.run(());
            }>{confirm}</button>
            <button type="button" class="button secondary" on:click=move |_| asking.set(false)>"Keep"</button>
        </span>
    }
}
