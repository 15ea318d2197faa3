//! The search page: one box in the centre; an exact match opens the profile.

use super::api::find_customer;
use super::model::SearchOutcome;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

/// `/` and `/search?q=…`.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").filter(|q| !q.trim().is_empty()));
    let result = Resource::new(
        move || q.get(),
        |q| async move {
            match q {
                Some(q) => Some(find_customer(q).await),
                None => None,
            }
        },
    );
    view! {
        <leptos_meta::Title text="Search · Customer Profiles"/>
        <section class="search-hero" aria-labelledby="search-title">
            <h1 id="search-title">"Find a customer"</h1>
            <form class="search-form" role="search" aria-label="Customer search" action="/search" method="get">
                <label for="search-q">"Phone, loyalty card, email or customer id"</label>
                <div class="search-row">
                    <input
                        id="search-q"
                        name="q"
                        type="search"
                        autocomplete="off"
                        aria-describedby="search-message"
                        prop:value=move || q.get().unwrap_or_default()
                    />
                    <button type="submit" class="button">
                        "Search"
                    </button>
                </div>
            </form>
            <div id="search-message" aria-live="polite">
                <Suspense fallback=|| view! { <p role="status">"Searching…"</p> }>
                    {move || result.get().flatten().map(|found| match found {
                        Ok(SearchOutcome::Found(id)) => {
                            view! { <Redirect path=format!("/customers/{id}")/> }.into_any()
                        }
                        Ok(SearchOutcome::NoMatch(message)) => {
                            view! { <p class="alert alert-info" role="alert">{message}</p> }.into_any()
                        }
                        Err(error) => view! { <SearchMessage error/> }.into_any(),
                    })}
                </Suspense>
            </div>
        </section>
    }
}

#[component]
fn SearchMessage(error: AppError) -> impl IntoView {
    let class = match error {
        AppError::Validation { .. } => "alert alert-info",
        _ => "alert alert-error",
    };
    view! {
        <p class=class role="alert">
            {error.to_string()}
        </p>
    }
}
