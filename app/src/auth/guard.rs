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

/// The address a request came from, put in its extensions by the server for each connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddress(pub std::net::IpAddr);

/// The client's address as sign-in fairness counts it: the connection's peer, or, when the
/// peer is a proxy on this machine or a private network, the address that proxy put last in
/// `X-Forwarded-For`. `unknown` outside a request.
pub fn client_address() -> String {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        return "unknown".into();
    };
    let Some(PeerAddress(peer)) = parts.extensions.get::<PeerAddress>().copied() else {
        return "unknown".into();
    };
    let behind_proxy = match peer {
        std::net::IpAddr::V4(v4) => v4.is_loopback() || v4.is_private(),
        std::net::IpAddr::V6(v6) => v6.is_loopback() || v6.is_unique_local(),
    };
    let forwarded = parts
        .headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok());
    match forwarded {
        Some(client) if behind_proxy => client.to_string(),
        _ => peer.to_string(),
    }
}
