//! Server functions of the user admin screens (permission users.manage).

#[cfg(feature = "ssr")]
use super::model::NewUser;
use super::model::UserSummary;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Every platform user.
#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    crate::error::respond(async {
        require(Permission::UsersManage)?;
        service::list(&crate::state::app_state()?).await
    })
    .await
}

/// One platform user.
#[server(endpoint = "get_user")]
pub async fn get_user(id: String) -> Result<UserSummary, AppError> {
    crate::error::respond(async {
        require(Permission::UsersManage)?;
        service::get(&crate::state::app_state()?, id).await
    })
    .await
}

/// Creates a platform user with the permissions of a role preset.
#[server(endpoint = "create_user")]
pub async fn create_user(
    email: String,
    display_name: String,
    role: String,
    password: String,
) -> Result<UserSummary, AppError> {
    crate::error::respond(async {
        let user = require(Permission::UsersManage)?;
        service::create(
            &crate::state::app_state()?,
            &user,
            NewUser {
                email,
                display_name,
                role,
                password,
            },
        )
        .await
    })
    .await
}

/// Deactivates (ending their sessions) or reactivates a platform user.
#[server(endpoint = "set_user_active")]
pub async fn set_user_active(id: String, active: bool) -> Result<UserSummary, AppError> {
    crate::error::respond(async {
        let user = require(Permission::UsersManage)?;
        service::set_active(&crate::state::app_state()?, &user, id, active).await
    })
    .await
}

/// Sets a new password, ends the user's sessions and lifts any sign-in lock.
#[server(endpoint = "reset_user_password")]
pub async fn reset_user_password(id: String, password: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::UsersManage)?;
        service::reset_password(&crate::state::app_state()?, &user, id, password).await
    })
    .await
}

/// Grants or revokes one permission.
#[server(endpoint = "set_user_permission")]
pub async fn set_user_permission(
    id: String,
    permission: String,
    granted: bool,
) -> Result<UserSummary, AppError> {
    crate::error::respond(async {
        let user = require(Permission::UsersManage)?;
        service::set_permission(&crate::state::app_state()?, &user, id, permission, granted).await
    })
    .await
}
