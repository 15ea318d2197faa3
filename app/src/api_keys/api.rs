//! Server functions of the API keys screen (permission settings.manage).

use super::model::{ApiKeySummary, NewApiKey};
use crate::error::AppError;
use leptos::prelude::*;

/// Every API key, newest first (never their secrets).
#[server(endpoint = "list_api_keys")]
pub async fn list_api_keys() -> Result<Vec<ApiKeySummary>, AppError> {
    crate::error::respond(
        async {
            crate::auth::guard::require(crate::auth::Permission::SettingsManage)?;
            let state = crate::state::app_state()?;
            Ok(super::db::list(&state.db).await?)
        }
        .await,
    )
}

/// Creates a key called `name`; the answer is the only time the key is shown.
#[server(endpoint = "create_api_key")]
pub async fn create_api_key(name: String) -> Result<NewApiKey, AppError> {
    crate::error::respond(server::create(name).await)
}

/// Revokes key `id`: requests with it are refused from now on.
#[server(endpoint = "revoke_api_key")]
pub async fn revoke_api_key(id: String) -> Result<ApiKeySummary, AppError> {
    crate::error::respond(server::revoke(id).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::{ApiKeySummary, NewApiKey};
    use crate::api_keys::{db, model::checked_name};
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use serde_json::json;

    pub async fn create(name: String) -> Result<NewApiKey, AppError> {
        let admin = require(Permission::SettingsManage)?;
        let name = checked_name(&name).map_err(|m| AppError::validation("name", m))?;
        let state = crate::state::app_state()?;
        let mut tx = state.db.begin_write().await?;
        let created =
            db::create(&mut *tx, &name, Some(&admin.id), crate::time::now_millis()).await?;
        Record::by(&admin, "api_key.create")
            .subject(&created.summary.id)
            .change(
                json!(null),
                json!({"name": name, "prefix": created.summary.prefix}),
            )
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn revoke(id: String) -> Result<ApiKeySummary, AppError> {
        let admin = require(Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
        let mut tx = state.db.begin_write().await?;
        let revoked = db::revoke(&mut *tx, &id, crate::time::now_millis())
            .await?
            .ok_or_else(|| AppError::NotFound("No such API key.".into()))?;
        Record::by(&admin, "api_key.revoke")
            .subject(&id)
            .change(
                json!({"revoked": false}),
                json!({"revoked": true, "name": revoked.name}),
            )
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(revoked)
    }
}
