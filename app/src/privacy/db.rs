//! SQL for data-privacy requests: the request log, restriction, forgetting a customer in one
//! transaction, and reading everything held about a customer for an export.

use super::model::{LogFilter, LogPage, PrivacyOverview, PrivacyRequest};
use crate::store::{Backend, Db};
use sqlx::any::AnyRow;
use sqlx::{Any, Column, Executor, FromRow, Row, Transaction};

/// Requests per page of the global log.
pub const LOG_PAGE_SIZE: u32 = 50;

#[derive(FromRow)]
struct RequestRow {
    id: String,
    customer_id: Option<String>,
    request_type: String,
    status: String,
    reason: Option<String>,
    detail: Option<String>,
    executed_by_email: String,
    requested_at: i64,
}

impl From<RequestRow> for PrivacyRequest {
    fn from(row: RequestRow) -> Self {
        Self {
            id: row.id,
            customer_id: row.customer_id,
            request_type: row.request_type,
            status: row.status,
            reason: row.reason,
            detail: row.detail,
            executed_by: row.executed_by_email,
            requested_at: row.requested_at,
            customer_name: None,
        }
    }
}

const REQUEST_COLUMNS: &str =
    "id, customer_id, request_type, status, reason, detail, executed_by_email, requested_at";

/// A request to write to the log.
pub struct NewRequest<'a> {
    /// Request id.
    pub id: &'a str,
    /// The customer (`None` for a forget: the log keeps no link to them).
    pub customer_id: Option<&'a str>,
    /// `export`, `restrict`, `reinstate` or `forget`.
    pub request_type: &'a str,
    /// Why, for restrict and reinstate.
    pub reason: Option<&'a str>,
    /// What was done, without personal data.
    pub detail: Option<&'a str>,
    /// Platform user id and email.
    pub executed_by: (&'a str, &'a str),
    /// When.
    pub at: i64,
}

/// Writes a completed request to the log.
pub async fn record<'e, E>(executor: E, request: &NewRequest<'_>) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query(
        "INSERT INTO privacy_requests (id, customer_id, request_type, status, reason, detail, \
         executed_by, executed_by_email, requested_at) \
         VALUES ($1, $2, $3, 'completed', $4, $5, $6, $7, $8)",
    )
    .bind(request.id)
    .bind(request.customer_id)
    .bind(request.request_type)
    .bind(request.reason)
    .bind(request.detail)
    .bind(request.executed_by.0)
    .bind(request.executed_by.1)
    .bind(request.at)
    .execute(executor)
    .await?;
    Ok(())
}

/// The Data Privacy tab of customer `id`; `None` when there is no such customer.
pub async fn overview(db: &Db, id: &str) -> Result<Option<PrivacyOverview>, sqlx::Error> {
    let state: Option<(Option<i64>, i64)> = sqlx::query_as(
        "SELECT restricted_at, refused_while_restricted FROM customers WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some((restricted_at, refused_while_restricted)) = state else {
        return Ok(None);
    };
    let rows: Vec<RequestRow> = sqlx::query_as(&format!(
        "SELECT {REQUEST_COLUMNS} FROM privacy_requests WHERE customer_id = $1 \
         ORDER BY requested_at DESC, id DESC"
    ))
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let history: Vec<PrivacyRequest> = rows.into_iter().map(PrivacyRequest::from).collect();
    Ok(Some(PrivacyOverview {
        restricted_at,
        refused_while_restricted,
        last_export_at: history
            .iter()
            .find(|r| r.request_type == "export")
            .map(|r| r.requested_at),
        history,
    }))
}

/// Refuses with a clear reason when customer `id`'s processing is restricted: no points,
/// tiers, offers or messages until reinstated.
pub async fn refuse_if_restricted(
    db: &Db,
    id: &str,
    what: &str,
) -> Result<(), crate::error::AppError> {
    let restricted: Option<Option<i64>> =
        sqlx::query_scalar("SELECT restricted_at FROM customers WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    if restricted.flatten().is_some() {
        return Err(crate::error::AppError::Conflict(format!(
            "Processing of this customer's data is restricted (GDPR art. 18): {what} until it is reinstated on the Data privacy tab."
        )));
    }
    Ok(())
}

/// Sets (`Some(now)`) or clears (`None`) the restriction of customer `id`; `false` when the
/// customer does not exist or already was in that state.
pub async fn set_restriction(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    restricted_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let condition = if restricted_at.is_some() {
        "restricted_at IS NULL"
    } else {
        "restricted_at IS NOT NULL"
    };
    let done = sqlx::query(&format!(
        "UPDATE customers SET restricted_at = $1, version = version + 1 \
         WHERE id = $2 AND {condition}"
    ))
    .bind(restricted_at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 1 && restricted_at.is_some() {
        // Restricted processing: the scores computed from their data go too.
        sqlx::query("DELETE FROM customer_scores WHERE customer_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(done.rows_affected() == 1)
}

/// Whether customer `id` exists, read inside the forget's transaction.
pub async fn customer_exists(tx: &mut Transaction<'_, Any>, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some())
}

/// Deletes the rows of `table` (a name from `store::customer_tables`, never user input) that
/// belong to customer `id`; how many.
pub async fn delete_rows(
    tx: &mut Transaction<'_, Any>,
    table: &'static str,
    id: &str,
) -> Result<u64, sqlx::Error> {
    let column = if table == "customers" {
        "id"
    } else {
        "customer_id"
    };
    let done = sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1"))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Clears customer `id` from the kept rows of `table` (the audit trail, the privacy log, the
/// Shopify deliveries): the rows stay, naming nobody and holding nothing personal; how many.
pub async fn anonymise(
    tx: &mut Transaction<'_, Any>,
    table: &'static str,
    id: &str,
) -> Result<u64, sqlx::Error> {
    let sql = match table {
        "audit_log" => {
            "UPDATE audit_log SET customer_id = NULL, subject = NULL, before_json = NULL, \
             after_json = NULL WHERE customer_id = $1 OR subject = $1"
        }
        "privacy_requests" => {
            "UPDATE privacy_requests SET customer_id = NULL, reason = NULL WHERE customer_id = $1"
        }
        "shopify_deliveries" => {
            "UPDATE shopify_deliveries SET customer_id = NULL WHERE customer_id = $1"
        }
        other => {
            return Err(sqlx::Error::Protocol(format!(
                "no rule anonymises {other}: say how in privacy::db::anonymise"
            )))
        }
    };
    let done = sqlx::query(sql).bind(id).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}

/// One page of the global log (its days as in `zone`), newest first.
pub async fn log(
    db: &Db,
    filter: &LogFilter,
    zone: &crate::time::DisplayZone,
) -> Result<LogPage, sqlx::Error> {
    let mut conditions = Vec::new();
    let mut values: Vec<String> = Vec::new();
    let mut range: Vec<i64> = Vec::new();
    let param = |n: usize| match db.backend() {
        Backend::Sqlite => "?".to_string(),
        Backend::Postgres => format!("${n}"),
    };
    for (column, value) in [
        ("request_type", &filter.request_type),
        ("status", &filter.status),
        ("executed_by_email", &filter.executed_by),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            values.push(value.trim().to_lowercase());
            conditions.push(format!("LOWER({column}) = {}", param(values.len())));
        }
    }
    let day = |text: &Option<String>, days_after| {
        text.as_deref()
            .and_then(|date| zone.day_start(date, days_after))
    };
    if let Some(from) = day(&filter.from, 0) {
        range.push(from);
        conditions.push(format!(
            "requested_at >= {}",
            param(values.len() + range.len())
        ));
    }
    if let Some(to) = day(&filter.to, 1) {
        range.push(to);
        conditions.push(format!(
            "requested_at < {}",
            param(values.len() + range.len())
        ));
    }
    let filter_sql = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    let page = filter.page.unwrap_or(1).max(1);
    let offset = i64::from((page - 1) * LOG_PAGE_SIZE);
    let n = values.len() + range.len();
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM privacy_requests{filter_sql} \
         ORDER BY requested_at DESC, id DESC LIMIT {} OFFSET {}",
        param(n + 1),
        param(n + 2)
    );
    let mut query = sqlx::query_as::<_, RequestRow>(&sql);
    let count_sql = format!("SELECT COUNT(*) FROM privacy_requests{filter_sql}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for value in &values {
        query = query.bind(value.clone());
        count = count.bind(value.clone());
    }
    for at in &range {
        query = query.bind(*at);
        count = count.bind(*at);
    }
    let rows = query
        .bind(i64::from(LOG_PAGE_SIZE))
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    let mut requests: Vec<PrivacyRequest> = rows.into_iter().map(PrivacyRequest::from).collect();
    let names = names_of(db, &requests).await?;
    for request in &mut requests {
        request.customer_name = names
            .iter()
            .find(|(id, _)| Some(id) == request.customer_id.as_ref())
            .and_then(|(_, name)| name.clone());
    }
    Ok(LogPage {
        requests,
        total: count.fetch_one(db.pool()).await?,
        page_size: LOG_PAGE_SIZE,
    })
}

/// The names of the customers `requests` are for, in one query: `(id, name)`.
async fn names_of(
    db: &Db,
    requests: &[PrivacyRequest],
) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    let mut ids: Vec<&str> = requests
        .iter()
        .filter_map(|r| r.customer_id.as_deref())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, first_name, last_name FROM customers WHERE id IN ({})",
        crate::store::list_placeholders(db.backend(), 1, ids.len())
    );
    let mut query = sqlx::query_as::<_, (String, Option<String>, Option<String>)>(&sql);
    for id in ids {
        query = query.bind(id);
    }
    let rows = query.fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|(id, first, last)| {
            let name = crate::customers::full_name(first.as_deref(), last.as_deref());
            (id, name)
        })
        .collect())
}

/// Every column of every row of `table` whose `key` column is customer `id`, as
/// `(column, value)` text, for an export; in a stable order (by value), so two exports of the
/// same data read the same.
pub async fn rows_of(
    db: &Db,
    table: &str,
    key: &str,
    id: &str,
) -> Result<Vec<Vec<(String, String)>>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT * FROM {table} WHERE {key} = $1"))
        .bind(id)
        .fetch_all(db.pool())
        .await?;
    let mut rows: Vec<Vec<(String, String)>> = rows.iter().map(columns).collect();
    rows.sort();
    Ok(rows)
}

/// One page of customer `id`'s events, oldest first, after the `(occurred_at, id)` cursor.
pub async fn events_after(
    db: &Db,
    id: &str,
    after: Option<&(i64, String)>,
    limit: i64,
) -> Result<Vec<Vec<(String, String)>>, sqlx::Error> {
    let (at, event_id) = after.cloned().unwrap_or((i64::MIN, String::new()));
    let rows = sqlx::query(
        "SELECT * FROM events WHERE customer_id = $1 \
         AND (occurred_at > $2 OR (occurred_at = $2 AND id > $3)) \
         ORDER BY occurred_at, id LIMIT $4",
    )
    .bind(id)
    .bind(at)
    .bind(event_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(columns).collect())
}

/// The columns of a row as text (NULL as empty).
fn columns(row: &AnyRow) -> Vec<(String, String)> {
    row.columns()
        .iter()
        .map(|column| {
            let i = column.ordinal();
            let value = row
                .try_get::<Option<String>, _>(i)
                .ok()
                .flatten()
                .or_else(|| {
                    row.try_get::<Option<i64>, _>(i)
                        .ok()
                        .flatten()
                        .map(|v| v.to_string())
                })
                .or_else(|| {
                    row.try_get::<Option<f64>, _>(i)
                        .ok()
                        .flatten()
                        .map(|v| v.to_string())
                })
                .unwrap_or_default();
            (column.name().to_string(), value)
        })
        .collect()
}
