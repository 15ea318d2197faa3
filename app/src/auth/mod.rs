//! Platform users signing in: permissions and role presets, sessions, password hashes,
//! server-side permission checks, and the sign-in page.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod password;
pub mod permission;
mod require;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
mod user_context;

pub use model::CurrentUser;
pub use page::SignInPage;
pub use permission::{Permission, Role};
pub use require::{not_allowed, RequirePermission};
#[cfg(feature = "ssr")]
pub use session::{SessionPolicy, SessionState};
pub use user_context::{
    provide_current_user, use_can, use_console_facts, use_current_user, ConsoleFacts,
    CurrentUserScript,
};
