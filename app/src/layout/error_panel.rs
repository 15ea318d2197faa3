//! Shows an `AppError` as an alert a person can act on.

use crate::error::AppError;
use leptos::prelude::*;

/// An alert for an error: what happened and, where it helps, what to do next.
#[component]
pub fn ErrorPanel(
    /// The error to show.
    error: AppError,
) -> impl IntoView {
    let heading = match &error {
        AppError::NotFound(_) => "Not found",
        AppError::Merged(_) => "Merged",
        AppError::Unauthorized => "Signed out",
        AppError::Forbidden(_) => "Not allowed",
        AppError::Validation { .. } => "Please check the input",
        AppError::Conflict(_) | AppError::Taken { .. } => "Conflict",
        AppError::RateLimited(_) => "Too many attempts",
        AppError::Unavailable(_) => "Not available",
        AppError::Maintenance(_) => "The console is moving",
        AppError::Internal(_) => "Something went wrong",
    };
    let merged = match &error {
        AppError::Merged(survivor) => Some(view! { <ToSurvivor survivor=survivor.clone()/> }),
        _ => None,
    };
    view! {
        {merged}
        <div class="alert alert-error" role="alert">
            <h2>{heading}</h2>
            <p>{error.to_string()}</p>
            <p>
                {if matches!(error, AppError::Unauthorized) {
                    view! { <a href="/sign-in">"Sign in again"</a> }.into_any()
                } else {
                    view! { <a href="/">"Back to search"</a> }.into_any()
                }}
            </p>
        </div>
    }
}

/// Sends the browser from a merged-away customer's page to the same page of the customer it
/// was merged into (a redirect on the server, a navigation in the browser).
#[component]
fn ToSurvivor(survivor: String) -> impl IntoView {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    let rest: String = path
        .strip_prefix("/customers/")
        .and_then(|rest| rest.split_once('/'))
        .map(|(_, tail)| format!("/{tail}"))
        .unwrap_or_default();
    view! { <leptos_router::components::Redirect path=format!("/customers/{survivor}{rest}")/> }
}
