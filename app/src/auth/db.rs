//! SQL for sign-in: credentials, sessions and the per-email failure throttle.

use crate::store::{Backend, Db};
use sqlx::{Any, Executor, FromRow};

/// What sign-in needs to know about the user behind an email.
#[derive(Debug, FromRow)]
pub struct Credentials {
    /// User id.
    pub id: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// 0 when deactivated.
    pub active: i64,
}

/// The user of a session and their permissions, together with the session's clock.
#[derive(Debug, FromRow)]
pub struct SessionRow {
    /// User id.
    pub user_id: String,
    /// Sign-in email.
    pub email: String,
    /// Shown name.
    pub display_name: String,
    /// Role preset name.
    pub role: String,
    /// 0 when deactivated.
    pub active: i64,
    /// Last request seen on this session.
    pub last_seen_at: i64,
    /// Absolute expiry.
    pub expires_at: i64,
    /// The names of the permissions granted to the user, comma-separated (`None`: none).
    pub permissions: Option<String>,
}

/// Sign-in attempts for one email within the current window, counted before each password
/// check (so attempts still being checked count too).
#[derive(Debug, Clone, FromRow)]
pub struct Throttle {
    /// Attempts in the window, this one included.
    pub failures: i64,
    /// When the window began.
    pub window_start: i64,
    /// Locked until this time, if locked.
    pub locked_until: Option<i64>,
}

/// The credentials of the user with sign-in email `email_key`.
pub async fn credentials(db: &Db, email_key: &str) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as("SELECT id, password_hash, active FROM users WHERE email = $1")
        .bind(email_key)
        .fetch_optional(db.pool())
        .await
}

/// Whether a stored throttle row is over: its lock has ended, or, unlocked, its window
/// (`$3` ms from `window_start`) has passed by `$2`.
const STALE: &str =
    "COALESCE(sign_in_throttle.locked_until, sign_in_throttle.window_start + $3) <= $2";

/// Counts one sign-in attempt for `email_key` at `now`, in one statement so that parallel
/// attempts each see their own number: a window older than `window_ms` (or a lock that has
/// ended) starts again at 1. Returns the state after counting.
pub async fn count_attempt(
    db: &Db,
    email_key: &str,
    now: i64,
    window_ms: i64,
) -> Result<Throttle, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO sign_in_throttle (email_key, failures, window_start, locked_until) \
         VALUES ($1, 1, $2, NULL) ON CONFLICT (email_key) DO UPDATE SET \
         failures = CASE WHEN {STALE} THEN 1 ELSE sign_in_throttle.failures + 1 END, \
         window_start = CASE WHEN {STALE} THEN $2 ELSE sign_in_throttle.window_start END, \
         locked_until = CASE WHEN {STALE} THEN NULL ELSE sign_in_throttle.locked_until END \
         RETURNING failures, window_start, locked_until"
    ))
    .bind(email_key)
    .bind(now)
    .bind(window_ms)
    .fetch_one(db.pool())
    .await
}

/// Locks `email_key` until `until` once its window holds `max` attempts (a wrong password
/// was the last straw); a lock already set is kept.
pub async fn lock_if_exhausted(
    db: &Db,
    email_key: &str,
    max: i64,
    until: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sign_in_throttle SET locked_until = $1 \
         WHERE email_key = $2 AND failures >= $3 AND locked_until IS NULL",
    )
    .bind(until)
    .bind(email_key)
    .bind(max)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Forgets the failures of `email_key` (after a good sign-in or a password reset).
pub async fn clear_throttle<'e, E>(executor: E, email_key: &str) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query("DELETE FROM sign_in_throttle WHERE email_key = $1")
        .bind(email_key)
        .execute(executor)
        .await?;
    Ok(())
}

/// Starts a session for `user_id` under the hash of its token.
pub async fn create_session(
    db: &Db,
    token_hash: &str,
    user_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The session stored under `token_hash`, its user and their permissions, in one read (every
/// request makes it).
pub async fn session(db: &Db, token_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    let joined = match db.backend() {
        Backend::Sqlite => "group_concat(p.permission, ',')",
        Backend::Postgres => "string_agg(p.permission, ',')",
    };
    sqlx::query_as(&format!(
        "SELECT u.id AS user_id, u.email, u.display_name, u.role, u.active, \
                s.last_seen_at, s.expires_at, \
                (SELECT {joined} FROM user_permissions p WHERE p.user_id = u.id) AS permissions \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await
}

/// Records activity on a session (resets its idle clock).
pub async fn touch_session(db: &Db, token_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Ends one session.
pub async fn delete_session<'e, E>(executor: E, token_hash: &str) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(executor)
        .await?;
    Ok(())
}

/// Ends every session of `user_id` (deactivation, password reset).
pub async fn delete_sessions_of<'e, E>(executor: E, user_id: &str) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(executor)
        .await?;
    Ok(())
}

/// Deletes sessions that expired before `now` (called now and then at sign-in).
pub async fn delete_expired_sessions(db: &Db, now: i64, idle_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2")
        .bind(now)
        .bind(now - idle_ms)
        .execute(db.pool())
        .await?;
    Ok(())
}
