//! The use cases behind the server functions of this feature.

use super::api::{MAX_FAILURES, THROTTLE_WINDOW_MS};
use crate::auth::db;
use crate::auth::guard::{client_address, request_is_https, session_state};
use crate::auth::model::{email_key, safe_next_path};
use crate::auth::{password, session, SessionState};
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use crate::time::now_millis;

/// Checks the email and password under the sign-in throttle and starts a session.
pub async fn sign_in(
    state: &AppState,
    email: String,
    password: String,
    next: String,
) -> Result<String, AppError> {
    let key = email_key(&email);
    if key.is_empty() {
        return Err(AppError::validation("email", "Enter your email address."));
    }
    if password.is_empty() {
        return Err(AppError::validation("password", "Enter your password."));
    }
    let now = now_millis();
    // Load is shed before anything is counted: a refusal for load is not a failed password.
    let address = client_address();
    let admission = state.passwords.admit(&address, &key, now).await?;
    // Counted before the slow password check, so the sixth of many parallel attempts is
    // refused here without hashing.
    let attempt = db::count_attempt(&state.db, &key, now, THROTTLE_WINDOW_MS).await?;
    if let Some(until) = attempt.locked_until {
        return Err(locked(until - now));
    }
    if attempt.failures > MAX_FAILURES {
        return Err(locked(attempt.window_start + THROTTLE_WINDOW_MS - now));
    }
    let credentials = db::credentials(&state.db, &key).await?;
    let matches = password::verify(
        admission,
        password,
        credentials.as_ref().map(|c| c.password_hash.clone()),
    )
    .await?;
    let Some(user) = credentials.filter(|_| matches) else {
        crate::change::audit_sign_in(state, &key, "auth.sign_in_failed", None).await?;
        if attempt.failures >= MAX_FAILURES {
            db::lock_if_exhausted(&state.db, &key, MAX_FAILURES, now + THROTTLE_WINDOW_MS).await?;
            return Err(locked(THROTTLE_WINDOW_MS));
        }
        return Err(AppError::validation(
            "password",
            "The email or password is incorrect.",
        ));
    };
    if user.active == 0 {
        return Err(AppError::validation(
            "email",
            "This account is deactivated. Ask an administrator to reactivate it.",
        ));
    }
    db::clear_throttle(state.db.pool(), &key).await?;
    state.passwords.remember_sign_in(&address, &key, now);
    db::delete_expired_sessions(&state.db, now, state.config.sessions.idle_ms).await?;
    let (token, token_hash) = session::new_token();
    db::create_session(
        &state.db,
        &token_hash,
        &user.id,
        now,
        now + state.config.sessions.absolute_ms,
    )
    .await?;
    crate::change::audit_sign_in(state, &key, "auth.sign_in", Some(&user.id)).await?;
    set_cookie(&session::session_cookie(
        &token,
        &state.config.sessions,
        request_is_https(),
    ));
    Ok(safe_next_path(&next))
}

/// Ends the current session and clears its cookie.
pub async fn sign_out(state: &AppState) -> Result<(), AppError> {
    if let SessionState::SignedIn { user, token_hash } = session_state() {
        let mut change = Change::begin(state, &user).await?;
        db::delete_session(&mut **change.tx(), &token_hash).await?;
        change.audit("auth.sign_out", |r| r).await?;
        change.commit().await?;
    }
    set_cookie(&session::clearing_cookie(request_is_https()));
    Ok(())
}

fn locked(remaining_ms: i64) -> AppError {
    let minutes = (remaining_ms + 59_999) / 60_000;
    AppError::RateLimited(format!(
        "Too many failed sign-in attempts. Sign-in for this email is locked for {minutes} \
         more minute{}; an administrator can unlock it by resetting the password.",
        if minutes == 1 { "" } else { "s" }
    ))
}

fn set_cookie(value: &str) {
    if let (Some(options), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        options.append_header(http::header::SET_COOKIE, value);
    }
}
