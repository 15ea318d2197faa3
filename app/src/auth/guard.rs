//! Server-side checks: every server function names the permission it needs.

use super::model::CurrentUser;
use super::permission::Permission;
use super::session::SessionState;
use crate::error::AppError;

/// The session of the current request (the server puts it in the request's extensions).
pub fn session_state() -> SessionState {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SessionState>().cloned())
        .unwrap_or(SessionState::Anonymous)
}

/// The signed-in user if they hold `permission`; `Unauthorized` or `Forbidden` otherwise.
pub fn require(permission: Permission) -> Result<CurrentUser, AppError> {
    let user = signed_in()?;
    if user.can(permission) {
        Ok(user)
    } else {
        tracing::warn!(user = %user.email, permission = permission.as_str(), "permission refused");
        Err(AppError::Forbidden(permission.as_str().into()))
    }
}

/// The signed-in user, whatever they may do.
pub fn signed_in() -> Result<CurrentUser, AppError> {
    match session_state() {
        SessionState::SignedIn { user, .. } => Ok(user),
        _ => Err(AppError::Unauthorized),
    }
}

/// Whether the current request came over HTTPS (directly or through a proxy that says so),
/// which decides the cookie's `Secure` flag.
pub fn request_is_https() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .map(|parts| {
            parts.uri.scheme_str() == Some("https")
                || parts
                    .headers
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.eq_ignore_ascii_case("https"))
        })
        .unwrap_or(false)
}
