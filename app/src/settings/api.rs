//! Server functions of the settings screen (permission settings.manage).

use super::model::OrgSettings;
use crate::error::AppError;
use leptos::prelude::*;

/// The organisation's settings.
#[server(endpoint = "get_settings")]
pub async fn get_settings() -> Result<OrgSettings, AppError> {
    crate::error::respond(server::get().await)
}

/// The customer status types, for anyone who may add customers or change a status.
#[server(endpoint = "list_status_types")]
pub async fn list_status_types() -> Result<Vec<super::StatusType>, AppError> {
    crate::error::respond(
        async {
            crate::auth::guard::signed_in()?;
            let state = crate::state::app_state()?;
            Ok(super::db::status_types(&state.db).await?)
        }
        .await,
    )
}

/// Switches search between `exact` and `advanced`.
#[server(endpoint = "set_search_mode")]
pub async fn set_search_mode(mode: String) -> Result<OrgSettings, AppError> {
    crate::error::respond(server::set_search_mode(mode).await)
}

/// Sets the calling code given to phone numbers typed without one.
#[server(endpoint = "set_calling_code")]
pub async fn set_calling_code(calling_code: String) -> Result<OrgSettings, AppError> {
    crate::error::respond(server::set_calling_code(calling_code).await)
}

/// Sets the time zone every page shows dates and times in.
#[server(endpoint = "set_time_zone")]
pub async fn set_time_zone(time_zone: String) -> Result<OrgSettings, AppError> {
    crate::error::respond(server::set_time_zone(time_zone).await)
}

/// Adds (empty `id`) or updates a customer status type.
#[server(endpoint = "save_status_type")]
pub async fn save_status_type(
    id: String,
    name: String,
    colour: String,
    sort_order: String,
    is_default: Option<String>,
) -> Result<OrgSettings, AppError> {
    crate::error::respond(server::save_status_type(id, name, colour, sort_order, is_default).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::OrgSettings;
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use crate::settings::db;
    use crate::settings::model::{
        contrast_with_white, status_id_from_name, SearchMode, StatusType,
    };
    use serde_json::json;

    pub async fn get() -> Result<OrgSettings, AppError> {
        require(Permission::SettingsManage)?;
        load().await
    }

    async fn load() -> Result<OrgSettings, AppError> {
        let state = crate::state::app_state()?;
        Ok(OrgSettings {
            search_mode: db::search_mode(&state.db).await?,
            calling_code: db::calling_code(&state.db).await?,
            time_zone: Some(state.time_zone.get().name.clone())
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| "UTC".into()),
            time_zones: crate::settings::zone::names(),
            status_types: db::status_types(&state.db).await?,
        })
    }

    pub async fn set_search_mode(mode: String) -> Result<OrgSettings, AppError> {
        let admin = require(Permission::SettingsManage)?;
        let new_mode = match mode.as_str() {
            "exact" => SearchMode::Exact,
            "advanced" => SearchMode::Advanced,
            _ => {
                return Err(AppError::validation(
                    "mode",
                    "Choose exact or advanced search.",
                ))
            }
        };
        let state = crate::state::app_state()?;
        let old_mode = db::search_mode(&state.db).await?;
        let mut tx = state.db.begin_write().await?;
        db::set_setting(&mut *tx, db::SEARCH_MODE, new_mode.as_str()).await?;
        Record::by(&admin, "settings.search_mode")
            .subject("search_mode")
            .change(json!(old_mode.as_str()), json!(new_mode.as_str()))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        load().await
    }

    pub async fn set_calling_code(calling_code: String) -> Result<OrgSettings, AppError> {
        let admin = require(Permission::SettingsManage)?;
        let code = calling_code.trim().trim_start_matches('+').to_string();
        if code.is_empty() || code.len() > 3 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(AppError::validation(
                "calling_code",
                "Enter a country calling code of 1 to 3 digits, e.g. 44 or 1.",
            ));
        }
        let state = crate::state::app_state()?;
        let before = db::calling_code(&state.db).await?;
        let mut tx = state.db.begin_write().await?;
        db::set_setting(&mut *tx, db::CALLING_CODE, &code).await?;
        Record::by(&admin, "settings.calling_code")
            .subject(db::CALLING_CODE)
            .change(json!(before), json!(code))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        load().await
    }

    pub async fn set_time_zone(time_zone: String) -> Result<OrgSettings, AppError> {
        use crate::settings::zone;
        let admin = require(Permission::SettingsManage)?;
        let tz = zone::parse(&time_zone).ok_or_else(|| {
            AppError::validation(
                "time_zone",
                "Choose a time zone from the list, e.g. Europe/London or America/New_York.",
            )
        })?;
        let state = crate::state::app_state()?;
        let before = state.time_zone.get().name.clone();
        let mut tx = state.db.begin_write().await?;
        db::set_setting(&mut *tx, db::TIME_ZONE, tz.name()).await?;
        Record::by(&admin, "settings.time_zone")
            .subject(db::TIME_ZONE)
            .change(json!(before), json!(tz.name()))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        state.time_zone.set(zone::display_zone(tz));
        load().await
    }

    pub async fn save_status_type(
        id: String,
        name: String,
        colour: String,
        sort_order: String,
        is_default: Option<String>,
    ) -> Result<OrgSettings, AppError> {
        let admin = require(Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
        let existing = db::status_types(&state.db).await?;
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > 40 {
            return Err(AppError::validation(
                "name",
                "Enter a name of 1 to 40 characters.",
            ));
        }
        let id = if id.trim().is_empty() {
            status_id_from_name(&name)
        } else {
            id.trim().to_string()
        };
        if id.is_empty() {
            return Err(AppError::validation(
                "name",
                "Use at least one letter or digit.",
            ));
        }
        if existing
            .iter()
            .any(|s| s.id != id && s.name.eq_ignore_ascii_case(&name))
        {
            return Err(AppError::validation(
                "name",
                format!("A status called {name} already exists."),
            ));
        }
        let colour = colour.trim().to_lowercase();
        let contrast = contrast_with_white(&colour)
            .ok_or_else(|| AppError::validation("colour", "Use a colour like #1f7a3a."))?;
        if contrast < 4.5 {
            return Err(AppError::validation(
                "colour",
                format!(
                    "White text on {colour} has a contrast of {contrast:.1}:1; choose a darker \
                     colour (4.5:1 or more) so the flag stays readable."
                ),
            ));
        }
        let sort_order: i64 = sort_order.trim().parse().map_err(|_| {
            AppError::validation("sort_order", "Enter a whole number for the order.")
        })?;
        let before = existing.iter().find(|s| s.id == id).cloned();
        let is_default = is_default.is_some();
        if before.as_ref().is_some_and(|b| b.is_default) && !is_default {
            return Err(AppError::validation(
                "is_default",
                "One status must be the default: make another status the default instead.",
            ));
        }
        let status = StatusType {
            id: id.clone(),
            name,
            colour,
            sort_order,
            is_default,
        };
        let mut tx = state.db.begin_write().await?;
        db::save_status_type(&mut tx, &status).await?;
        Record::by(&admin, "settings.status_type")
            .subject(&id)
            .change(json!(before), json!(status))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        load().await
    }
}
