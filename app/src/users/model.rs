//! Platform users as the admin screens show them.

use crate::auth::{Permission, Role};
use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// One platform user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    /// User id (UUID text).
    pub id: String,
    /// Sign-in email.
    pub email: String,
    /// Shown name.
    pub display_name: String,
    /// The preset the user started from.
    pub role: Role,
    /// False once deactivated.
    pub active: bool,
    /// What the user may do.
    pub permissions: Vec<Permission>,
    /// When the user was created.
    pub created_at: EpochMillis,
}

/// A new platform user, as typed by an admin (or given to `create-user`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    /// Sign-in email.
    pub email: String,
    /// Shown name.
    pub display_name: String,
    /// Role preset name, e.g. `care_agent`.
    pub role: String,
    /// Initial password.
    pub password: String,
}

/// A plausible email address: one `@`, something before it, a dot after it, no spaces.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
        && !domain.contains('@')
}

#[cfg(test)]
mod tests {
    use super::is_plausible_email;

    #[test]
    fn emails_need_a_local_part_and_a_domain() {
        assert!(is_plausible_email("ana@example.com"));
        assert!(!is_plausible_email("ana@example"));
        assert!(!is_plausible_email("@example.com"));
        assert!(!is_plausible_email("ana @example.com"));
        assert!(!is_plausible_email("ana@@example.com"));
    }
}
