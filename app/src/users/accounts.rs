//! Creating platform users: shared by the admin screen, `create-user` and the demo seed.

use super::model::{is_plausible_email, NewUser, UserSummary};
use crate::auth::model::{check_new_password, email_key};
use crate::auth::{password, CurrentUser, Role};
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;

/// Validates, hashes the password, inserts the user with the role's permissions and records
/// it in the audit trail as done by `actor` (an admin, or the command line), in one change.
pub async fn create(
    state: &AppState,
    actor: &CurrentUser,
    input: NewUser,
) -> Result<UserSummary, AppError> {
    let db = &state.db;
    let email = email_key(&input.email);
    if !is_plausible_email(&email) {
        return Err(AppError::validation(
            "email",
            "Enter an email address like name@example.com.",
        ));
    }
    let display_name = input.display_name.trim().to_string();
    if display_name.is_empty() || display_name.chars().count() > 80 {
        return Err(AppError::validation(
            "display_name",
            "Enter a name of 1 to 80 characters.",
        ));
    }
    let role = Role::parse(input.role.trim()).ok_or_else(|| {
        AppError::validation(
            "role",
            format!(
                "Choose a role: {}.",
                Role::ALL.map(|r| r.as_str()).join(", ")
            ),
        )
    })?;
    check_new_password(&input.password).map_err(|m| AppError::validation("password", m))?;
    if super::db::email_taken(db, &email).await? {
        return Err(AppError::validation(
            "email",
            "A platform user with this email already exists.",
        ));
    }
    let user = UserSummary {
        id: uuid::Uuid::now_v7().to_string(),
        email,
        display_name,
        role,
        active: true,
        permissions: role.permissions(),
        created_at: crate::time::now_millis(),
    };
    let hash = password::hash(input.password).await?;
    let mut change = Change::begin(state, actor).await?;
    super::db::insert(change.tx(), &user, &hash).await?;
    change
        .audit("users.create", |r| {
            r.subject(&user.id).change(
                serde_json::Value::Null,
                serde_json::json!({"email": user.email, "role": role.as_str()}),
            )
        })
        .await?;
    change.commit().await?;
    Ok(user)
}
