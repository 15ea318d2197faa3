//! Pages that need a permission show "Not allowed" (HTTP 403) instead of their content.

use super::permission::Permission;
use super::user_context::use_can;
use crate::error::AppError;
use crate::layout::ErrorPanel;
use leptos::prelude::*;

/// Renders `children` only for users holding `permission`. The server functions behind the
/// page check again; this keeps people from seeing forms they cannot use.
#[component]
pub fn RequirePermission(
    /// The permission the page needs.
    permission: Permission,
    /// The page.
    children: Children,
) -> impl IntoView {
    if use_can(permission) {
        return children().into_any();
    }
    not_allowed(permission.as_str())
}

/// The "Not allowed" page for a user lacking `needed` (permission names), answered with 403.
pub fn not_allowed(needed: &str) -> AnyView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <div class="page">
            <ErrorPanel error=AppError::Forbidden(needed.into())/>
        </div>
    }
    .into_any()
}
