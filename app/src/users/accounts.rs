//! Creating platform users: shared by the admin screen, `create-user` and the demo seed.

use super::model::{is_plausible_email, NewUser, UserSummary};
use crate::audit::db::Record;
use crate::auth::model::{check_new_password, email_key};
use crate::auth::{password, CurrentUser, Role};
use crate::error::AppError;
use crate::store::Db;

/// Validates, hashes the password, inserts the user with the role's permissions and, when an
/// admin did it, records it in the audit trail (all in one transaction).
pub async fn create(
    db: &Db,
    actor: Option<&CurrentUser>,
    input: NewUser,
) -> Result<UserSummary, AppError> {
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
    let mut tx = db.begin_write().await?;
    super::db::insert(&mut tx, &user, &hash).await?;
    if let Some(actor) = actor {
        Record::by(actor, "users.create")
            .subject(&user.id)
            .change(
                serde_json::Value::Null,
                serde_json::json!({"email": user.email, "role": role.as_str()}),
            )
            .write(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(user)
}
