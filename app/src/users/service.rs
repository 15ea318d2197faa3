//! The use cases behind the server functions of this feature.

use super::model::{NewUser, UserSummary};
use crate::auth::model::check_new_password;
use crate::auth::CurrentUser;
use crate::auth::{password, Permission};
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use crate::users::db;
use serde_json::json;

/// Every platform user with their role and permissions.
pub async fn list(state: &AppState) -> Result<Vec<UserSummary>, AppError> {
    Ok(db::list(&state.db).await?)
}

/// One platform user.
pub async fn get(state: &AppState, id: String) -> Result<UserSummary, AppError> {
    db::get(&state.db, &id).await?.ok_or_else(|| not_found(&id))
}

/// Creates a platform user with a role preset, audited.
pub async fn create(
    state: &AppState,
    admin: &CurrentUser,
    input: NewUser,
) -> Result<UserSummary, AppError> {
    crate::users::accounts::create(state, admin, input).await
}

/// Deactivates or reactivates a user (never the last active admin), audited.
pub async fn set_active(
    state: &AppState,
    admin: &CurrentUser,
    id: String,
    active: bool,
) -> Result<UserSummary, AppError> {
    if admin.id == id && !active {
        return Err(AppError::Conflict(
            "You cannot deactivate your own account; ask another administrator.".into(),
        ));
    }
    let before = db::get(&state.db, &id)
        .await?
        .ok_or_else(|| not_found(&id))?;
    let mut change = Change::begin(state, admin).await?;
    db::set_active(&mut **change.tx(), &id, active).await?;
    if !active {
        crate::auth::db::delete_sessions_of(&mut **change.tx(), &id).await?;
    }
    let action = if active {
        "users.reactivate"
    } else {
        "users.deactivate"
    };
    change
        .audit(action, |r| {
            r.subject(&id)
                .change(json!({"active": before.active}), json!({"active": active}))
        })
        .await?;
    change.commit().await?;
    db::get(&state.db, &id).await?.ok_or_else(|| not_found(&id))
}

/// Sets a new password for a user and ends their sessions, audited.
pub async fn reset_password(
    state: &AppState,
    admin: &CurrentUser,
    id: String,
    new_password: String,
) -> Result<(), AppError> {
    check_new_password(&new_password).map_err(|m| AppError::validation("password", m))?;
    let user = db::get(&state.db, &id)
        .await?
        .ok_or_else(|| not_found(&id))?;
    let hash = password::hash(new_password).await?;
    let mut change = Change::begin(state, admin).await?;
    db::set_password_hash(&mut **change.tx(), &id, &hash).await?;
    crate::auth::db::delete_sessions_of(&mut **change.tx(), &id).await?;
    crate::auth::db::clear_throttle(&mut **change.tx(), &user.email).await?;
    change
        .audit("users.reset_password", |r| r.subject(&id))
        .await?;
    change.commit().await?;
    Ok(())
}

/// Grants or withdraws one permission (never the last admin's own), audited.
pub async fn set_permission(
    state: &AppState,
    admin: &CurrentUser,
    id: String,
    permission: String,
    granted: bool,
) -> Result<UserSummary, AppError> {
    let permission = Permission::parse(&permission).ok_or_else(|| {
        AppError::validation(
            "permission",
            format!("There is no permission {permission:?}."),
        )
    })?;
    if admin.id == id && permission == Permission::UsersManage && !granted {
        return Err(AppError::Conflict(
            "You cannot remove your own users.manage permission; ask another administrator.".into(),
        ));
    }
    let before = db::get(&state.db, &id)
        .await?
        .ok_or_else(|| not_found(&id))?;
    let had = before.permissions.contains(&permission);
    let mut change = Change::begin(state, admin).await?;
    db::set_permission(&mut **change.tx(), &id, permission, granted).await?;
    let action = if granted {
        "users.grant"
    } else {
        "users.revoke"
    };
    change
        .audit(action, |r| {
            r.subject(&id).change(
                json!({"permission": permission.as_str(), "granted": had}),
                json!({"permission": permission.as_str(), "granted": granted}),
            )
        })
        .await?;
    change.commit().await?;
    db::get(&state.db, &id).await?.ok_or_else(|| not_found(&id))
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("There is no platform user with id {id}."))
}
