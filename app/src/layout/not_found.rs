//! The 404 page.

use leptos::prelude::*;

/// Shown for any URL the console does not know; answers with HTTP 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <leptos_meta::Title text="Page not found · Customer Profiles"/>
        <section class="panel narrow" aria-labelledby="not-found-title">
            <h1 id="not-found-title">"Page not found"</h1>
            <p>"There is no page at this address. Check the link, or search for a customer."</p>
            <p>
                <a class="button" href="/">
                    "Go to search"
                </a>
            </p>
        </section>
    }
}
