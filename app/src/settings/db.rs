//! SQL for organisation settings.

use super::model::{SearchMode, StatusType};
use crate::store::Db;
use sqlx::{Any, Executor, FromRow};

#[derive(FromRow)]
struct StatusRow {
    id: String,
    name: String,
    colour: String,
    sort_order: i64,
    is_default: i64,
}

/// Every setting, as last read from the database (the organisation cache's copy).
#[derive(Debug, Default)]
pub struct AllSettings(std::collections::HashMap<String, String>);

impl AllSettings {
    /// The value of setting `key`, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

/// Every setting, read once and kept in the organisation cache until one is written.
pub async fn all(db: &Db) -> Result<std::sync::Arc<AllSettings>, sqlx::Error> {
    db.org_cache()
        .get(|| async {
            let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM settings")
                .fetch_all(db.pool())
                .await?;
            Ok(AllSettings(rows.into_iter().collect()))
        })
        .await
}

/// The value of setting `key`, if set.
pub async fn setting(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(all(db).await?.get(key).map(str::to_string))
}

/// Stores setting `key`.
pub async fn set_setting<'e, E>(executor: E, key: &str, value: &str) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(executor)
    .await?;
    crate::store::org_cache::written();
    Ok(())
}

/// The search mode.
pub async fn search_mode(db: &Db) -> Result<SearchMode, sqlx::Error> {
    let value = setting(db, SEARCH_MODE).await?;
    Ok(SearchMode::parse(value.as_deref().unwrap_or("exact")))
}

/// Whether external ids match whatever their letters' case (`crm-1` finds `CRM-1`); off
/// until an admin turns it on.
pub async fn external_ids_ignore_case(db: &Db) -> Result<bool, sqlx::Error> {
    Ok(setting(db, EXTERNAL_ID_CASE).await?.as_deref() == Some("ignore"))
}

/// The organisation's time zone (an IANA name), if one was chosen.
pub async fn time_zone(db: &Db) -> Result<Option<String>, sqlx::Error> {
    setting(db, TIME_ZONE).await
}

/// Key of the search mode setting.
pub const SEARCH_MODE: &str = "search_mode";
/// Key of the calling code setting that came before the phone region (read when no region
/// was chosen).
pub const CALLING_CODE: &str = "default_calling_code";
/// Key of the organisation's currency setting (ISO 4217).
pub const CURRENCY: &str = "currency";
/// Key of the phone region setting (`GB`, `US`: libphonenumber's region ids).
pub const PHONE_REGION: &str = "phone_region";
/// Key of the external-id case setting (`ignore` or `exact`).
pub const EXTERNAL_ID_CASE: &str = "external_id_case";
/// Key of the time zone setting.
pub const TIME_ZONE: &str = "time_zone";

/// Every status type, in order.
pub async fn status_types(db: &Db) -> Result<Vec<StatusType>, sqlx::Error> {
    let rows: Vec<StatusRow> = sqlx::query_as(
        "SELECT id, name, colour, sort_order, is_default FROM status_types \
         ORDER BY sort_order, name",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StatusType {
            id: r.id,
            name: r.name,
            colour: r.colour,
            sort_order: r.sort_order,
            is_default: r.is_default != 0,
        })
        .collect())
}

/// Inserts or updates one status type; making it the default clears the others.
pub async fn save_status_type(
    tx: &mut sqlx::Transaction<'_, Any>,
    status: &StatusType,
) -> Result<(), sqlx::Error> {
    if status.is_default {
        sqlx::query("UPDATE status_types SET is_default = 0 WHERE id <> $1")
            .bind(status.id.clone())
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO status_types (id, name, colour, sort_order, is_default) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
         colour = excluded.colour, sort_order = excluded.sort_order, \
         is_default = excluded.is_default",
    )
    .bind(status.id.clone())
    .bind(status.name.clone())
    .bind(status.colour.clone())
    .bind(status.sort_order)
    .bind(i64::from(status.is_default))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
