//! Server functions for signing in and out.

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
    crate::error::respond(server::sign_in(email, password, next).await)
}

/// Ends the current session and clears the cookie.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::error::respond(server::sign_out().await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::{MAX_FAILURES, THROTTLE_WINDOW_MS};
    use crate::audit::db::Record;
    use crate::auth::db::{self, Throttle};
    use crate::auth::guard::{request_is_https, session_state};
    use crate::auth::model::{email_key, safe_next_path};
    use crate::auth::{password, session, SessionState};
    use crate::error::AppError;
    use crate::time::now_millis;

    pub async fn sign_in(
        email: String,
        password: String,
        next: String,
    ) -> Result<String, AppError> {
        let state = crate::state::app_state()?;
        let key = email_key(&email);
        if key.is_empty() {
            return Err(AppError::validation("email", "Enter your email address."));
        }
        if password.is_empty() {
            return Err(AppError::validation("password", "Enter your password."));
        }
        let now = now_millis();
        let throttle = db::throttle(&state.db, &key).await?;
        if let Some(until) = throttle.as_ref().and_then(|t| t.locked_until) {
            if until > now {
                return Err(locked(until - now));
            }
        }
        let credentials = db::credentials(&state.db, &key).await?;
        let matches = password::verify(
            password,
            credentials.as_ref().map(|c| c.password_hash.clone()),
        )
        .await?;
        let Some(user) = credentials.filter(|_| matches) else {
            let failures = failed(&state.db, &key, throttle, now).await?;
            Record {
                actor: None,
                actor_email: &key,
                action: "auth.sign_in_failed",
                customer_id: None,
                subject: None,
                before: None,
                after: None,
            }
            .write(state.db.pool())
            .await?;
            if failures >= MAX_FAILURES {
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
        Record {
            actor: None,
            actor_email: &key,
            action: "auth.sign_in",
            customer_id: None,
            subject: Some(&user.id),
            before: None,
            after: None,
        }
        .write(state.db.pool())
        .await?;
        set_cookie(&session::session_cookie(
            &token,
            &state.config.sessions,
            request_is_https(),
        ));
        Ok(safe_next_path(&next))
    }

    pub async fn sign_out() -> Result<(), AppError> {
        let state = crate::state::app_state()?;
        if let SessionState::SignedIn { user, token_hash } = session_state() {
            db::delete_session(&state.db, &token_hash).await?;
            Record::by(&user, "auth.sign_out")
                .write(state.db.pool())
                .await?;
        }
        set_cookie(&session::clearing_cookie(request_is_https()));
        Ok(())
    }

    /// Counts a failure for `key` and locks it at the limit; returns the failures so far.
    async fn failed(
        db: &crate::store::Db,
        key: &str,
        throttle: Option<Throttle>,
        now: i64,
    ) -> Result<i64, AppError> {
        let current = throttle
            .filter(|t| now - t.window_start < THROTTLE_WINDOW_MS && t.locked_until.is_none())
            .unwrap_or(Throttle {
                failures: 0,
                window_start: now,
                locked_until: None,
            });
        let failures = current.failures + 1;
        let next = Throttle {
            failures,
            window_start: current.window_start,
            locked_until: (failures >= MAX_FAILURES).then_some(now + THROTTLE_WINDOW_MS),
        };
        db::save_throttle(db, key, &next).await?;
        Ok(failures)
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
}
