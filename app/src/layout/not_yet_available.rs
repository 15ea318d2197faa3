//! An honest empty state for a tab whose feature has not been built yet.

use leptos::prelude::*;

/// Says plainly that this section is not available in this version.
#[component]
pub fn NotYetAvailable(
    /// The section's name, used as its heading.
    title: &'static str,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="section-title">
            <h2 id="section-title">{title}</h2>
            <p class="muted">"This section is not available in this version of Customer Profiles."</p>
        </section>
    }
}
