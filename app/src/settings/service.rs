//! The use cases behind the server functions of this feature.

use super::model::OrgSettings;
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::identity::phone;
use crate::settings::db;
use crate::settings::model::{
    contrast_with_white, status_id_from_name, SearchMode, StatusType, DEFAULT_CURRENCY,
    DEFAULT_PHONE_REGION,
};
use crate::state::AppState;
use crate::store::Db;
use serde_json::json;

/// The organisation settings.
pub async fn get(state: &AppState) -> Result<OrgSettings, AppError> {
    load(state).await
}

async fn load(state: &AppState) -> Result<OrgSettings, AppError> {
    let (phone_region, phone_region_note) = region_and_note(&state.db).await?;
    Ok(OrgSettings {
        search_mode: db::search_mode(&state.db).await?,
        phone_region,
        phone_region_note,
        phone_regions: region_choices(),
        currency: currency(&state.db).await?,
        currencies: crate::money::currency_choices(),
        time_zone: Some(state.time_zone.get().name.clone())
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "UTC".into()),
        time_zones: crate::settings::zone::names(),
        status_types: db::status_types(&state.db).await?,
    })
}

/// Sets how the search box matches (exact identifiers or also names), audited.
pub async fn set_search_mode(
    state: &AppState,
    admin: &CurrentUser,
    mode: String,
) -> Result<OrgSettings, AppError> {
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
    let old_mode = db::search_mode(&state.db).await?;
    let mut change = Change::begin(state, admin).await?;
    db::set_setting(&mut **change.tx(), db::SEARCH_MODE, new_mode.as_str()).await?;
    change
        .audit("settings.search_mode", |r| {
            r.subject("search_mode")
                .change(json!(old_mode.as_str()), json!(new_mode.as_str()))
        })
        .await?;
    change.commit().await?;
    load(state).await
}

/// The region phone numbers typed without a country code are read in: the one an admin
/// chose; before any was chosen, the main region of the calling code set earlier (`44` → GB,
/// `1` → US); GB on a new database.
pub async fn phone_region(db: &Db) -> Result<String, sqlx::Error> {
    Ok(region_and_note(db).await?.0)
}

/// [`phone_region`] and what the settings screen says about it.
async fn region_and_note(db: &Db) -> Result<(String, Option<String>), sqlx::Error> {
    if let Some(region) = db::setting(db, db::PHONE_REGION).await? {
        return Ok((region, None));
    }
    let code = db::setting(db, db::CALLING_CODE).await?;
    let Some((main, others)) = code.as_deref().and_then(phone::regions_of) else {
        return Ok((DEFAULT_PHONE_REGION.to_string(), None));
    };
    let note = (!others.is_empty()).then(|| {
        format!(
            "Taken from the calling code +{} set before: {} shares it with {}. Choose your \
             country if it is another.",
            code.unwrap_or_default().trim_start_matches('+'),
            main.as_ref(),
            others.join(", ")
        )
    });
    Ok((main.as_ref().to_string(), note))
}

/// Every region libphonenumber knows, labelled with its country's name and calling code,
/// sorted by label.
fn region_choices() -> Vec<(String, String)> {
    let mut choices: Vec<(String, String)> = phone::all_regions()
        .into_iter()
        .map(|(id, code)| {
            let name = crate::countries::name(&id).unwrap_or_else(|| id.clone());
            let label = format!("{name} ({id}, +{code})");
            (id, label)
        })
        .collect();
    choices.sort_by(|a, b| a.1.cmp(&b.1));
    choices
}

/// Sets the region phone numbers typed without a country code are read in, audited.
pub async fn set_phone_region(
    state: &AppState,
    admin: &CurrentUser,
    region: String,
) -> Result<OrgSettings, AppError> {
    let Some(id) = phone::region(&region) else {
        return Err(AppError::validation(
            "phone_region",
            "Choose a country from the list, e.g. GB or US.",
        ));
    };
    let before = phone_region(&state.db).await?;
    let after = id.as_ref().to_string();
    let mut change = Change::begin(state, admin).await?;
    db::set_setting(&mut **change.tx(), db::PHONE_REGION, &after).await?;
    change
        .audit("settings.phone_region", |r| {
            r.subject(db::PHONE_REGION)
                .change(json!(before), json!(after))
        })
        .await?;
    change.commit().await?;
    load(state).await
}

/// The organisation's currency (ISO 4217; GBP until an admin chooses one).
pub async fn currency(db: &Db) -> Result<String, sqlx::Error> {
    Ok(db::setting(db, db::CURRENCY)
        .await?
        .unwrap_or_else(|| DEFAULT_CURRENCY.to_string()))
}

/// Sets the organisation's currency, audited.
pub async fn set_currency(
    state: &AppState,
    admin: &CurrentUser,
    currency: String,
) -> Result<OrgSettings, AppError> {
    let code = currency.trim().to_ascii_uppercase();
    if !crate::money::is_currency(&code) {
        return Err(AppError::validation(
            "currency",
            "Choose an ISO 4217 currency from the list, e.g. GBP or USD.",
        ));
    }
    let before = self::currency(&state.db).await?;
    let mut change = Change::begin(state, admin).await?;
    db::set_setting(&mut **change.tx(), db::CURRENCY, &code).await?;
    change
        .audit("settings.currency", |r| {
            r.subject(db::CURRENCY).change(json!(before), json!(code))
        })
        .await?;
    change.commit().await?;
    load(state).await
}

/// Sets the organisation's time zone for dates on screen, audited.
pub async fn set_time_zone(
    state: &AppState,
    admin: &CurrentUser,
    time_zone: String,
) -> Result<OrgSettings, AppError> {
    use crate::settings::zone;
    let tz = zone::parse(&time_zone).ok_or_else(|| {
        AppError::validation(
            "time_zone",
            "Choose a time zone from the list, e.g. Europe/London or America/New_York.",
        )
    })?;
    let before = state.time_zone.get().name.clone();
    let mut change = Change::begin(state, admin).await?;
    db::set_setting(&mut **change.tx(), db::TIME_ZONE, tz.name()).await?;
    change
        .audit("settings.time_zone", |r| {
            r.subject(db::TIME_ZONE)
                .change(json!(before), json!(tz.name()))
        })
        .await?;
    change.commit().await?;
    state.time_zone.set(zone::display_zone(tz));
    load(state).await
}

/// Adds or edits a customer status type, audited.
pub async fn save_status_type(
    state: &AppState,
    admin: &CurrentUser,
    id: String,
    name: String,
    colour: String,
    sort_order: String,
    is_default: Option<String>,
) -> Result<OrgSettings, AppError> {
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
    let sort_order: i64 = sort_order
        .trim()
        .parse()
        .map_err(|_| AppError::validation("sort_order", "Enter a whole number for the order."))?;
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
    let mut change = Change::begin(state, admin).await?;
    db::save_status_type(change.tx(), &status).await?;
    change
        .audit("settings.status_type", |r| {
            r.subject(&id).change(json!(before), json!(status))
        })
        .await?;
    change.commit().await?;
    load(state).await
}
