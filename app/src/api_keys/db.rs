//! SQL for API keys. Only a SHA-256 of each key is stored: keys are long random strings, so a
//! fast hash is enough and checking one costs microseconds per request.

pub use super::model::checked_name;
use super::model::{ApiKeySummary, NewApiKey, PREFIX_LEN};
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
        }
    }
}

/// Creates a key called `name` (by user `created_by`, `None` from the command line).
pub async fn create<'e, E>(
    executor: E,
    name: &str,
    created_by: Option<&str>,
    now: i64,
) -> Result<NewApiKey, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let (secret, _) = new_token();
    let key = format!("cpk_{secret}");
    let prefix: String = key.chars().take(PREFIX_LEN).collect();
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO api_keys (id, name, prefix, key_hash, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(name)
    .bind(&prefix)
    .bind(hash_token(&key))
    .bind(now)
    .bind(created_by)
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
        },
        key,
    })
}

/// Every key, newest first.
pub async fn list(db: &Db) -> Result<Vec<ApiKeySummary>, sqlx::Error> {
    let rows: Vec<KeyRow> = sqlx::query_as(
        "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys \
         ORDER BY created_at DESC, id DESC",
    )
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
    let row: Option<KeyRow> = sqlx::query_as(
        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 \
         RETURNING id, name, prefix, created_at, last_used_at, revoked_at",
    )
    .bind(now)
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.map(ApiKeySummary::from))
}

/// The id and name of the live key `key`, noting its use; `None` for unknown or revoked keys.
pub async fn authenticate(
    db: &Db,
    key: &str,
    now: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row: Option<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, name, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash_token(key))
    .fetch_optional(db.pool())
    .await?;
    let Some((id, name, last_used_at)) = row else {
        return Ok(None);
    };
    if last_used_at.is_none_or(|at| now - at > LAST_USED_GRANULARITY_MS) {
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&id)
            .execute(db.pool())
            .await?;
    }
    Ok(Some((id, name)))
}
