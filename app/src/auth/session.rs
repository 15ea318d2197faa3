//! Sessions: random tokens in an HttpOnly cookie, stored hashed, with idle and absolute expiry.

use super::model::CurrentUser;
use super::permission::{Permission, Role};
use crate::store::Db;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "cp_session";

/// How long sessions live.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// A session unused for this long ends (milliseconds).
    pub idle_ms: i64,
    /// A session ends this long after sign-in whatever happens (milliseconds).
    pub absolute_ms: i64,
}

impl Default for SessionPolicy {
    /// 30 minutes idle, 12 hours absolute: a care agent's shift, not longer.
    fn default() -> Self {
        Self {
            idle_ms: 30 * 60 * 1000,
            absolute_ms: 12 * 60 * 60 * 1000,
        }
    }
}

/// The session of the current request, put in the request's extensions by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// A live session.
    SignedIn {
        /// Who.
        user: CurrentUser,
        /// The stored hash of the token (to end the session).
        token_hash: String,
    },
    /// A cookie came with the request but its session has ended.
    Expired,
    /// No session cookie.
    Anonymous,
}

impl SessionState {
    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&CurrentUser> {
        match self {
            Self::SignedIn { user, .. } => Some(user),
            _ => None,
        }
    }
}

/// A new random session token (256 bits) and the hash stored for it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

/// The hash under which a token is stored: a database leak does not leak live sessions.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// The `Set-Cookie` value that hands `token` to the browser.
pub fn session_cookie(token: &str, policy: &SessionPolicy, secure: bool) -> String {
    cookie::Cookie::build((COOKIE_NAME, token.to_string()))
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .secure(secure)
        .path("/")
        .max_age(cookie::time::Duration::milliseconds(policy.absolute_ms))
        .build()
        .to_string()
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clearing_cookie(secure: bool) -> String {
    cookie::Cookie::build((COOKIE_NAME, ""))
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .secure(secure)
        .path("/")
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

/// The session token in a `Cookie` request header, if there is one.
pub fn token_from_cookie_header(header: &str) -> Option<String> {
    cookie::Cookie::split_parse(header)
        .flatten()
        .find(|c| c.name() == COOKIE_NAME && !c.value().is_empty())
        .map(|c| c.value().to_string())
}

/// Looks the token up and applies the expiry rules; refreshes the idle clock at most once a
/// minute (or a quarter of the idle time, if shorter) so that most reads stay reads.
pub async fn resolve(
    db: &Db,
    policy: &SessionPolicy,
    token: Option<&str>,
    now: i64,
) -> Result<SessionState, sqlx::Error> {
    let Some(token) = token else {
        return Ok(SessionState::Anonymous);
    };
    let token_hash = hash_token(token);
    let Some(row) = super::db::session(db, &token_hash).await? else {
        return Ok(SessionState::Expired);
    };
    let idle_expired = now - row.last_seen_at > policy.idle_ms;
    if idle_expired || now >= row.expires_at || row.active == 0 {
        super::db::delete_session(db.pool(), &token_hash).await?;
        return Ok(SessionState::Expired);
    }
    if now - row.last_seen_at > (policy.idle_ms / 4).min(60_000) {
        super::db::touch_session(db, &token_hash, now).await?;
    }
    let mut permissions: Vec<Permission> = row
        .permissions
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter_map(Permission::parse)
        .collect();
    permissions.sort();
    let user = CurrentUser {
        id: row.user_id,
        email: row.email,
        display_name: row.display_name,
        role: Role::parse(&row.role).unwrap_or(Role::StoreAssociate),
        permissions,
    };
    Ok(SessionState::SignedIn { user, token_hash })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_strict_and_secure_on_https() {
        let policy = SessionPolicy::default();
        let plain = session_cookie("abc", &policy, false);
        assert!(plain.contains("HttpOnly"));
        assert!(plain.contains("SameSite=Strict"));
        assert!(!plain.contains("Secure"));
        assert!(session_cookie("abc", &policy, true).contains("Secure"));
        assert_eq!(
            token_from_cookie_header("a=1; cp_session=abc; b=2").as_deref(),
            Some("abc")
        );
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_ne!(a, hash_a);
        assert_eq!(hash_token(&a), hash_a);
    }
}
