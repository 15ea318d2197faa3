//! Server functions for signing in and out.

#[cfg(feature = "ssr")]
use super::service;
use crate::error::AppError;
use leptos::prelude::*;

/// Failed sign-ins allowed per email within [`THROTTLE_WINDOW_MS`] before it is locked.
pub const MAX_FAILURES: i64 = 5;
/// The window in which failures count, and how long a lock lasts: 15 minutes.
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// Signs in with email and password; sets the session cookie and returns the page to open.
/// Errors never say whether the email exists.
#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String, next: String) -> Result<String, AppError> {
    crate::error::respond(async {
        service::sign_in(&crate::state::app_state()?, email, password, next).await
    })
    .await
}

/// Ends the current session and clears the cookie.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::error::respond(async { service::sign_out(&crate::state::app_state()?).await }).await
}
