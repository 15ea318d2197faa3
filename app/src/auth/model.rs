//! The signed-in user as the browser and the server functions see it.

use super::permission::{Permission, Role};
use serde::{Deserialize, Serialize};

/// A platform user with a live session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    /// User id (UUID text).
    pub id: String,
    /// Sign-in email, lower case.
    pub email: String,
    /// The name shown in the top bar and the audit trail.
    pub display_name: String,
    /// The preset the user started from.
    pub role: Role,
    /// What the user may do.
    pub permissions: Vec<Permission>,
}

impl CurrentUser {
    /// Whether the user holds `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// The system itself as the actor of work no person asked for (reading stored data again
    /// under new rules): id `system:<name>`, named `display_name` in the audit trail, holding
    /// no permission.
    pub fn system(name: &str, display_name: &str) -> Self {
        Self {
            id: format!("system:{name}"),
            email: format!("{} (system)", display_name.to_lowercase()),
            display_name: display_name.into(),
            role: Role::Admin,
            permissions: Vec::new(),
        }
    }
}

/// The smallest password length accepted (NIST SP 800-63B asks for at least 8; we ask more).
pub const MIN_PASSWORD_LENGTH: usize = 12;

/// Checks a new password; the message says what to change.
pub fn check_new_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LENGTH {
        return Err(format!(
            "Use at least {MIN_PASSWORD_LENGTH} characters ({length} given)."
        ));
    }
    if length > 256 {
        return Err("Use at most 256 characters.".into());
    }
    Ok(())
}

/// Lower-cases and trims an email for sign-in lookups.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Only same-site paths are followed after sign-in (no open redirects).
pub fn safe_next_path(next: &str) -> String {
    let ok = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if ok && !next.starts_with("/sign-in") {
        next.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths_stay_on_this_site() {
        assert_eq!(safe_next_path("/customers/1?tab=x"), "/customers/1?tab=x");
        assert_eq!(safe_next_path("//evil.example/"), "/");
        assert_eq!(safe_next_path("https://evil.example/"), "/");
        assert_eq!(safe_next_path("/\\evil.example"), "/");
        assert_eq!(safe_next_path("/sign-in"), "/");
    }

    #[test]
    fn short_passwords_are_refused_with_the_length() {
        assert!(check_new_password("short").is_err_and(|m| m.contains("5 given")));
        assert!(check_new_password("a long enough passphrase").is_ok());
    }
}
