//! SQL for third-party panels: the admin's list and changes, a panel's secret for a call, the
//! development setting, and the identifiers a call may send.

use super::model::{CheckedPanel, Panel, Sends};
use crate::store::Db;
use sqlx::{Any, FromRow, Transaction};

#[derive(FromRow)]
struct PanelRow {
    id: String,
    title: String,
    url: String,
    sends: String,
    timeout_ms: i64,
    cache_seconds: i64,
    active: i64,
    updated_at: i64,
}

impl From<PanelRow> for Panel {
    fn from(r: PanelRow) -> Self {
        Panel {
            id: r.id,
            title: r.title,
            url: r.url,
            sends: Sends::parse(&r.sends).unwrap_or(Sends::Nothing),
            timeout_ms: r.timeout_ms,
            cache_seconds: r.cache_seconds,
            active: r.active != 0,
            updated_at: r.updated_at,
        }
    }
}

const COLUMNS: &str = "id, title, url, sends, timeout_ms, cache_seconds, active, updated_at";

/// The setting that lets panels live on loopback and private addresses (development).
const ALLOW_PRIVATE: &str = "panels_allow_private";

/// Every panel by title; `active_only`: the ones profiles show.
pub async fn list(db: &Db, active_only: bool) -> Result<Vec<Panel>, sqlx::Error> {
    let filter = if active_only { "WHERE active = 1" } else { "" };
    let rows: Vec<PanelRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM panels {filter} ORDER BY title, id"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(Panel::from).collect())
}

/// Panel `id` as it is now, in `tx`.
pub async fn get(tx: &mut Transaction<'_, Any>, id: &str) -> Result<Option<Panel>, sqlx::Error> {
    let row: Option<PanelRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM panels WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(Panel::from))
}

#[derive(FromRow)]
struct PanelWithSecret {
    #[sqlx(flatten)]
    panel: PanelRow,
    secret: String,
}

/// The active panels by title, each with its signing secret (for the calls).
pub async fn active_with_secrets(db: &Db) -> Result<Vec<(Panel, String)>, sqlx::Error> {
    let rows: Vec<PanelWithSecret> = sqlx::query_as(&format!(
        "SELECT {COLUMNS}, secret FROM panels WHERE active = 1 ORDER BY title, id"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (Panel::from(r.panel), r.secret))
        .collect())
}

/// Adds panel `id` (its secret is required).
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    panel: &CheckedPanel,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO panels (id, title, url, sends, secret, timeout_ms, cache_seconds, active, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(id)
    .bind(&panel.title)
    .bind(&panel.url)
    .bind(panel.sends.as_str())
    .bind(panel.secret.as_deref().unwrap_or_default())
    .bind(panel.timeout_ms)
    .bind(panel.cache_seconds)
    .bind(i64::from(panel.active))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Changes panel `id` if it is still as of `seen` (its secret only when a new one is given);
/// whether it was.
pub async fn update(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    seen: i64,
    panel: &CheckedPanel,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE panels SET title = $1, url = $2, sends = $3, secret = COALESCE($4, secret), \
         timeout_ms = $5, cache_seconds = $6, active = $7, updated_at = $8 \
         WHERE id = $9 AND updated_at = $10",
    )
    .bind(&panel.title)
    .bind(&panel.url)
    .bind(panel.sends.as_str())
    .bind(panel.secret.as_deref())
    .bind(panel.timeout_ms)
    .bind(panel.cache_seconds)
    .bind(i64::from(panel.active))
    .bind(now)
    .bind(id)
    .bind(seen)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether panels may live on loopback and private addresses.
pub async fn allow_private(db: &Db) -> Result<bool, sqlx::Error> {
    Ok(crate::settings::db::setting(db, ALLOW_PRIVATE)
        .await?
        .as_deref()
        == Some("true"))
}

/// Sets whether panels may live on loopback and private addresses.
pub async fn set_allow_private(
    tx: &mut Transaction<'_, Any>,
    allow: bool,
) -> Result<(), sqlx::Error> {
    crate::settings::db::set_setting(
        &mut **tx,
        ALLOW_PRIVATE,
        if allow { "true" } else { "false" },
    )
    .await
}

/// `(external id, email, restricted)` of `customer_id`, if there is such a customer.
pub async fn identifiers(
    db: &Db,
    customer_id: &str,
) -> Result<Option<(Option<String>, Option<String>, bool)>, sqlx::Error> {
    let row: Option<(Option<String>, Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT external_id, email, restricted_at FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(external, email, restricted)| (external, email, restricted.is_some())))
}
