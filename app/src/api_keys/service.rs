//! The use cases behind the server functions of this feature.

use super::model::{ApiKeySummary, NewApiKey};
use crate::api_keys::{db, model::checked_name};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use serde_json::json;

/// Creates an ingest API key, audited; the secret is returned once and stored hashed.
pub async fn create(
    state: &AppState,
    admin: &CurrentUser,
    name: String,
) -> Result<NewApiKey, AppError> {
    let name = checked_name(&name).map_err(|m| AppError::validation("name", m))?;
    let mut change = Change::begin(state, admin).await?;
    let created = db::create(
        &mut **change.tx(),
        &name,
        Some(&admin.id),
        crate::time::now_millis(),
    )
    .await?;
    change
        .audit("api_key.create", |r| {
            r.subject(&created.summary.id).change(
                json!(null),
                json!({"name": name, "prefix": created.summary.prefix}),
            )
        })
        .await?;
    change.commit().await?;
    Ok(created)
}

/// Revokes an API key, audited; requests with it are refused from then on.
pub async fn revoke(
    state: &AppState,
    admin: &CurrentUser,
    id: String,
) -> Result<ApiKeySummary, AppError> {
    let mut change = Change::begin(state, admin).await?;
    let revoked = db::revoke(&mut **change.tx(), &id, crate::time::now_millis())
        .await?
        .ok_or_else(|| AppError::NotFound("No such API key.".into()))?;
    change
        .audit("api_key.revoke", |r| {
            r.subject(&id).change(
                json!({"revoked": false}),
                json!({"revoked": true, "name": revoked.name}),
            )
        })
        .await?;
    change.commit().await?;
    Ok(revoked)
}
