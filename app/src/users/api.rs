//! Server functions of the user admin screens (permission users.manage).

#[cfg(feature = "ssr")]
use super::model::NewUser;
use super::model::UserSummary;
use crate::error::AppError;
use leptos::prelude::*;

/// Every platform user.
#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    crate::error::respond(server::list().await)
}

/// One platform user.
#[server(endpoint = "get_user")]
pub async fn get_user(id: String) -> Result<UserSummary, AppError> {
    crate::error::respond(server::get(id).await)
}

/// Creates a platform user with the permissions of a role preset.
#[server(endpoint = "create_user")]
pub async fn create_user(
    email: String,
    display_name: String,
    role: String,
    password: String,
) -> Result<UserSummary, AppError> {
    crate::error::respond(
        server::create(NewUser {
            email,
            display_name,
            role,
            password,
        })
        .await,
    )
}

/// Deactivates (ending their sessions) or reactivates a platform user.
#[server(endpoint = "set_user_active")]
pub async fn set_user_active(id: String, active: bool) -> Result<UserSummary, AppError> {
    crate::error::respond(server::set_active(id, active).await)
}

/// Sets a new password, ends the user's sessions and lifts any sign-in lock.
#[server(endpoint = "reset_user_password")]
pub async fn reset_user_password(id: String, password: String) -> Result<(), AppError> {
    crate::error::respond(server::reset_password(id, password).await)
}

/// Grants or revokes one permission.
#[server(endpoint = "set_user_permission")]
pub async fn set_user_permission(
    id: String,
    permission: String,
    granted: bool,
) -> Result<UserSummary, AppError> {
    crate::error::respond(server::set_permission(id, permission, granted).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::{NewUser, UserSummary};
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::model::check_new_password;
    use crate::auth::{password, Permission};
    use crate::error::AppError;
    use crate::users::db;
    use serde_json::json;

    pub async fn list() -> Result<Vec<UserSummary>, AppError> {
        require(Permission::UsersManage)?;
        Ok(db::list(&crate::state::app_state()?.db).await?)
    }

    pub async fn get(id: String) -> Result<UserSummary, AppError> {
        require(Permission::UsersManage)?;
        let state = crate::state::app_state()?;
        db::get(&state.db, &id).await?.ok_or_else(|| not_found(&id))
    }

    pub async fn create(input: NewUser) -> Result<UserSummary, AppError> {
        let admin = require(Permission::UsersManage)?;
        let state = crate::state::app_state()?;
        crate::users::accounts::create(&state.db, Some(&admin), input).await
    }

    pub async fn set_active(id: String, active: bool) -> Result<UserSummary, AppError> {
        let admin = require(Permission::UsersManage)?;
        if admin.id == id && !active {
            return Err(AppError::Conflict(
                "You cannot deactivate your own account; ask another administrator.".into(),
            ));
        }
        let state = crate::state::app_state()?;
        let before = db::get(&state.db, &id)
            .await?
            .ok_or_else(|| not_found(&id))?;
        let mut tx = state.db.begin_write().await?;
        db::set_active(&mut *tx, &id, active).await?;
        if !active {
            crate::auth::db::delete_sessions_of(&mut *tx, &id).await?;
        }
        let action = if active {
            "users.reactivate"
        } else {
            "users.deactivate"
        };
        Record::by(&admin, action)
            .subject(&id)
            .change(json!({"active": before.active}), json!({"active": active}))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        db::get(&state.db, &id).await?.ok_or_else(|| not_found(&id))
    }

    pub async fn reset_password(id: String, new_password: String) -> Result<(), AppError> {
        let admin = require(Permission::UsersManage)?;
        check_new_password(&new_password).map_err(|m| AppError::validation("password", m))?;
        let state = crate::state::app_state()?;
        let user = db::get(&state.db, &id)
            .await?
            .ok_or_else(|| not_found(&id))?;
        let hash = password::hash(new_password).await?;
        let mut tx = state.db.begin_write().await?;
        db::set_password_hash(&mut *tx, &id, &hash).await?;
        crate::auth::db::delete_sessions_of(&mut *tx, &id).await?;
        crate::auth::db::clear_throttle(&mut *tx, &user.email).await?;
        Record::by(&admin, "users.reset_password")
            .subject(&id)
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_permission(
        id: String,
        permission: String,
        granted: bool,
    ) -> Result<UserSummary, AppError> {
        let admin = require(Permission::UsersManage)?;
        let permission = Permission::parse(&permission).ok_or_else(|| {
            AppError::validation(
                "permission",
                format!("There is no permission {permission:?}."),
            )
        })?;
        if admin.id == id && permission == Permission::UsersManage && !granted {
            return Err(AppError::Conflict(
                "You cannot remove your own users.manage permission; ask another administrator."
                    .into(),
            ));
        }
        let state = crate::state::app_state()?;
        let before = db::get(&state.db, &id)
            .await?
            .ok_or_else(|| not_found(&id))?;
        let had = before.permissions.contains(&permission);
        let mut tx = state.db.begin_write().await?;
        db::set_permission(&mut *tx, &id, permission, granted).await?;
        let action = if granted {
            "users.grant"
        } else {
            "users.revoke"
        };
        Record::by(&admin, action)
            .subject(&id)
            .change(
                json!({"permission": permission.as_str(), "granted": had}),
                json!({"permission": permission.as_str(), "granted": granted}),
            )
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        db::get(&state.db, &id).await?.ok_or_else(|| not_found(&id))
    }

    fn not_found(id: &str) -> AppError {
        AppError::NotFound(format!("There is no platform user with id {id}."))
    }
}
