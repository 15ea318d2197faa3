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
        AppError::Unauthorized => "Signed out",
        AppError::Forbidden(_) => "Not allowed",
        AppError::Validation { .. } => "Please check the input",
        AppError::Conflict(_) | AppError::Taken { .. } => "Conflict",
        AppError::RateLimited(_) => "Too many attempts",
        AppError::Unavailable(_) => "Not available",
        AppError::Internal(_) => "Something went wrong",
    };
    view! {
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
