//! SQL for API keys. Only a SHA-256 of each key is stored: keys are long random strings, so a
//! fast hash is enough and checking one costs microseconds per request.

pub use super::model::checked_name;
use super::model::{ApiKeySummary, BrowserLimits, KeyKind, NewApiKey, PREFIX_LEN};
use crate::auth::session::{hash_token, new_token};
use crate::store::Db;
use sqlx::{Any, Executor, FromRow};

/// Requests within this long of the last recorded use do not write `last_used_at` again.
const LAST_USED_GRANULARITY_MS: i64 = 60_000;

#[derive(FromRow)]
struct KeyRow {
    id: String,
    name: String,
    prefix: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
    kind: String,
    public_key: Option<String>,
    event_types: String,
    origins: String,
    per_minute: Option<i64>,
}

/// The columns of [`KeyRow`].
const KEY_COLUMNS: &str = "id, name, prefix, created_at, last_used_at, revoked_at, kind, \
                           public_key, event_types, origins, per_minute";

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

impl From<KeyRow> for ApiKeySummary {
    fn from(row: KeyRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            prefix: row.prefix,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
            kind: KeyKind::parse(&row.kind),
            public_key: row.public_key,
            event_types: lines(&row.event_types),
            origins: lines(&row.origins),
            per_minute: row.per_minute,
        }
    }
}

/// A live key that authenticated a request.
#[derive(Debug, Clone)]
pub struct AuthenticatedKey {
    /// Key id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Secret or publishable.
    pub kind: KeyKind,
    /// A publishable key's limits.
    pub limits: BrowserLimits,
}

impl AuthenticatedKey {
    /// The key as the actor of what it sends: `system:api-key:<id>`, named after the key.
    pub fn actor(&self) -> crate::auth::CurrentUser {
        crate::auth::CurrentUser::system(
            &format!("api-key:{}", self.id),
            &format!("API key {}", self.name),
        )
    }
}

/// Creates a secret key called `name` (by user `created_by`, `None` from the command line).
pub async fn create<'e, E>(
    executor: E,
    name: &str,
    created_by: Option<&str>,
    now: i64,
) -> Result<NewApiKey, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    insert(executor, name, None, created_by, now).await
}

/// Creates a publishable key called `name` with `limits` (by user `created_by`).
pub async fn create_publishable<'e, E>(
    executor: E,
    name: &str,
    limits: &BrowserLimits,
    created_by: Option<&str>,
    now: i64,
) -> Result<NewApiKey, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    insert(executor, name, Some(limits), created_by, now).await
}

async fn insert<'e, E>(
    executor: E,
    name: &str,
    browser: Option<&BrowserLimits>,
    created_by: Option<&str>,
    now: i64,
) -> Result<NewApiKey, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let (secret, _) = new_token();
    let kind = browser.map_or(KeyKind::Secret, |_| KeyKind::Publishable);
    let marker = match kind {
        KeyKind::Secret => "cpk",
        KeyKind::Publishable => "cpp",
    };
    let key = format!("{marker}_{secret}");
    let prefix: String = key.chars().take(PREFIX_LEN).collect();
    let id = uuid::Uuid::now_v7().to_string();
    let public_key = browser.map(|_| key.clone());
    let limits = browser.cloned().unwrap_or_default();
    let per_minute = browser.map(|b| b.per_minute);
    sqlx::query(
        "INSERT INTO api_keys (id, name, prefix, key_hash, created_at, created_by, kind, \
         public_key, event_types, origins, per_minute) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(name)
    .bind(&prefix)
    .bind(hash_token(&key))
    .bind(now)
    .bind(created_by)
    .bind(kind.as_str())
    .bind(&public_key)
    .bind(limits.event_types.join("\n"))
    .bind(limits.origins.join("\n"))
    .bind(per_minute)
    .execute(executor)
    .await?;
    Ok(NewApiKey {
        summary: ApiKeySummary {
            id,
            name: name.to_string(),
            prefix,
            created_at: now,
            last_used_at: None,
            revoked_at: None,
            kind,
            public_key,
            event_types: limits.event_types,
            origins: limits.origins,
            per_minute,
        },
        key,
    })
}

/// Every key, newest first.
pub async fn list(db: &Db) -> Result<Vec<ApiKeySummary>, sqlx::Error> {
    let rows: Vec<KeyRow> = sqlx::query_as(&format!(
        "SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at DESC, id DESC"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(ApiKeySummary::from).collect())
}

/// Revokes key `id`; `None` when there is no such key. Revoking twice keeps the first time.
pub async fn revoke<'e, E>(
    executor: E,
    id: &str,
    now: i64,
) -> Result<Option<ApiKeySummary>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let row: Option<KeyRow> = sqlx::query_as(&format!(
        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 \
         RETURNING {KEY_COLUMNS}"
    ))
    .bind(now)
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.map(ApiKeySummary::from))
}

/// Replaces the limits of live publishable key `id`; `None` when there is no such key.
pub async fn update_limits<'e, E>(
    executor: E,
    id: &str,
    limits: &BrowserLimits,
) -> Result<Option<ApiKeySummary>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let row: Option<KeyRow> = sqlx::query_as(&format!(
        "UPDATE api_keys SET event_types = $1, origins = $2, per_minute = $3 \
         WHERE id = $4 AND kind = 'publishable' AND revoked_at IS NULL RETURNING {KEY_COLUMNS}"
    ))
    .bind(limits.event_types.join("\n"))
    .bind(limits.origins.join("\n"))
    .bind(limits.per_minute)
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.map(ApiKeySummary::from))
}

/// The key `id` as listed; `None` when there is no such key.
pub async fn find<'e, E>(executor: E, id: &str) -> Result<Option<ApiKeySummary>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let row: Option<KeyRow> =
        sqlx::query_as(&format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1"))
            .bind(id)
            .fetch_optional(executor)
            .await?;
    Ok(row.map(ApiKeySummary::from))
}

/// The live key `key`, noting its use; `None` for unknown or revoked keys.
pub async fn authenticate(
    db: &Db,
    key: &str,
    now: i64,
) -> Result<Option<AuthenticatedKey>, sqlx::Error> {
    let row: Option<KeyRow> = sqlx::query_as(&format!(
        "SELECT {KEY_COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL"
    ))
    .bind(hash_token(key))
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    if row
        .last_used_at
        .is_none_or(|at| now - at > LAST_USED_GRANULARITY_MS)
    {
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&row.id)
            .execute(db.pool())
            .await?;
    }
    let summary = ApiKeySummary::from(row);
    Ok(Some(AuthenticatedKey {
        id: summary.id,
        name: summary.name,
        kind: summary.kind,
        limits: BrowserLimits {
            event_types: summary.event_types,
            origins: summary.origins,
            per_minute: summary
                .per_minute
                .unwrap_or(super::model::DEFAULT_PER_MINUTE),
        },
    }))
}

/// Whether a live publishable key lists `origin` (a CORS preflight names no key).
pub async fn origin_has_key(db: &Db, origin: &str) -> Result<bool, sqlx::Error> {
    let lists: Vec<(String,)> = sqlx::query_as(
        "SELECT origins FROM api_keys WHERE kind = 'publishable' AND revoked_at IS NULL",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(lists
        .iter()
        .any(|(list,)| list.lines().any(|o| o == origin)))
}
