//! Server functions of Admin → Locations (settings.manage).

use super::model::{Geofence, GeofenceForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// What the geofences screen shows: every geofence, and the stores one may belong to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeofencesScreen {
    /// Every geofence, by name.
    pub geofences: Vec<Geofence>,
    /// `(id, name)` of every store, by name.
    pub stores: Vec<(String, String)>,
}

/// Every geofence and the stores.
#[server(endpoint = "list_geofences")]
pub async fn list_geofences() -> Result<GeofencesScreen, AppError> {
    crate::error::respond(async {
        require(Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
        let stores = crate::locations::db::stores(&state.db).await?;
        Ok(GeofencesScreen {
            geofences: service::list(&state).await?,
            stores: stores.into_iter().map(|s| (s.id, s.name)).collect(),
        })
    })
    .await
}

/// Adds a geofence or changes one; its id.
#[server(endpoint = "save_geofence")]
pub async fn save_geofence(form: GeofenceForm) -> Result<String, AppError> {
    crate::error::respond(async {
        let user = require(Permission::SettingsManage)?;
        service::save(&crate::state::app_state()?, &user, form).await
    })
    .await
}
