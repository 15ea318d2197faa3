//! SQL for platform users and their permissions.

use super::model::UserSummary;
use crate::auth::{Permission, Role};
use crate::store::Db;
use sqlx::{Any, Executor, FromRow, Transaction};

#[derive(FromRow)]
struct UserRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
    active: i64,
    created_at: i64,
}

#[derive(FromRow)]
struct GrantRow {
    user_id: String,
    permission: String,
}

/// Every platform user, by name.
pub async fn list(db: &Db) -> Result<Vec<UserSummary>, sqlx::Error> {
    let users: Vec<UserRow> = sqlx::query_as(
        "SELECT id, email, display_name, role, active, created_at FROM users \
         ORDER BY display_name, email",
    )
    .fetch_all(db.pool())
    .await?;
    let grants: Vec<GrantRow> = sqlx::query_as("SELECT user_id, permission FROM user_permissions")
        .fetch_all(db.pool())
        .await?;
    Ok(users
        .into_iter()
        .map(|row| {
            let mine: Vec<&str> = grants
                .iter()
                .filter(|g| g.user_id == row.id)
                .map(|g| g.permission.as_str())
                .collect();
            summary(row, mine.into_iter())
        })
        .collect())
}

/// One platform user.
pub async fn get(db: &Db, id: &str) -> Result<Option<UserSummary>, sqlx::Error> {
    let Some(row): Option<UserRow> = sqlx::query_as(
        "SELECT id, email, display_name, role, active, created_at FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    else {
        return Ok(None);
    };
    let grants: Vec<String> =
        sqlx::query_scalar("SELECT permission FROM user_permissions WHERE user_id = $1")
            .bind(id)
            .fetch_all(db.pool())
            .await?;
    Ok(Some(summary(row, grants.iter().map(String::as_str))))
}

fn summary<'a>(row: UserRow, grants: impl Iterator<Item = &'a str>) -> UserSummary {
    let mut permissions: Vec<Permission> = grants.filter_map(Permission::parse).collect();
    permissions.sort();
    UserSummary {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        role: Role::parse(&row.role).unwrap_or(Role::StoreAssociate),
        active: row.active != 0,
        permissions,
        created_at: row.created_at,
    }
}

/// Whether a user signs in with `email_key`.
pub async fn email_taken(db: &Db, email_key: &str) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(email_key)
        .fetch_one(db.pool())
        .await?;
    Ok(count > 0)
}

/// Inserts a user with the permissions of `role`.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    user: &UserSummary,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (id, email, display_name, role, password_hash, active, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
    )
    .bind(user.id.clone())
    .bind(user.email.clone())
    .bind(user.display_name.clone())
    .bind(user.role.as_str())
    .bind(password_hash)
    .bind(user.created_at)
    .execute(&mut **tx)
    .await?;
    for permission in &user.permissions {
        set_permission(&mut **tx, &user.id, *permission, true).await?;
    }
    Ok(())
}

/// Grants or revokes one permission (idempotent).
pub async fn set_permission<'e, E>(
    executor: E,
    user_id: &str,
    permission: Permission,
    granted: bool,
) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let sql = if granted {
        "INSERT INTO user_permissions (user_id, permission) VALUES ($1, $2) \
         ON CONFLICT (user_id, permission) DO NOTHING"
    } else {
        "DELETE FROM user_permissions WHERE user_id = $1 AND permission = $2"
    };
    sqlx::query(sql)
        .bind(user_id)
        .bind(permission.as_str())
        .execute(executor)
        .await?;
    Ok(())
}

/// Activates or deactivates a user.
pub async fn set_active<'e, E>(executor: E, id: &str, active: bool) -> Result<u64, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let done = sqlx::query("UPDATE users SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(active))
        .bind(crate::time::now_millis())
        .bind(id)
        .execute(executor)
        .await?;
    Ok(done.rows_affected())
}

/// Replaces a user's password hash.
pub async fn set_password_hash<'e, E>(
    executor: E,
    id: &str,
    password_hash: &str,
) -> Result<u64, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let done = sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(crate::time::now_millis())
        .bind(id)
        .execute(executor)
        .await?;
    Ok(done.rows_affected())
}
