//! SQL for exact-match and advanced search.

use super::advanced::{NormalisedQuery, ResultRow, SearchResults, SortOrder, COUNT_CAP};
use super::model::{Identifier, IdentifierKind};
use crate::customers::{mask_email, mask_phone};
use crate::store::Db;

/// The id of the customer holding any of `candidates` (tried in order), if there is one.
pub async fn find_by_identifier(
    db: &Db,
    candidates: &[Identifier],
) -> Result<Option<String>, sqlx::Error> {
    for candidate in candidates {
        let column = match candidate.kind {
            IdentifierKind::Email => "email",
            IdentifierKind::Phone => "phone",
            IdentifierKind::Card => "card_number",
            IdentifierKind::ExternalId => "external_id",
            IdentifierKind::CustomerId => "id",
        };
        let sql = format!("SELECT id FROM customers WHERE {column} = $1");
        let found: Option<String> = sqlx::query_scalar(&sql)
            .bind(&candidate.value)
            .fetch_optional(db.pool())
            .await?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// One page of an advanced search and the (capped) number of matches. Name and email
/// prefixes are half-open ranges on their indexed keys, so they are index range scans.
pub async fn advanced(
    db: &Db,
    query: &NormalisedQuery,
    show_pii: bool,
) -> Result<SearchResults, sqlx::Error> {
    let mut conditions = Vec::new();
    let mut values: Vec<String> = Vec::new();
    let mut prefix = |column: &str, value: &Option<String>, values: &mut Vec<String>| {
        if let Some(value) = value {
            values.push(value.clone());
            values.push(format!("{value}\u{10FFFF}"));
            conditions.push(format!(
                "{column} >= ${} AND {column} < ${}",
                values.len() - 1,
                values.len()
            ));
        }
    };
    prefix("c.first_name_key", &query.first_prefix, &mut values);
    prefix("c.last_name_key", &query.last_prefix, &mut values);
    prefix("c.email", &query.email_prefix, &mut values);
    for (column, value) in [
        ("c.phone", &query.phone),
        ("c.id", &query.id),
        ("c.date_of_birth", &query.dob),
    ] {
        if let Some(value) = value {
            values.push(value.clone());
            conditions.push(format!("{column} = ${}", values.len()));
        }
    }
    let filter = if conditions.is_empty() {
        "1 = 1".to_string()
    } else {
        conditions.join(" AND ")
    };
    let order = match query.sort {
        SortOrder::LastName => "c.last_name_key, c.first_name_key, c.id",
        SortOrder::FirstName => "c.first_name_key, c.last_name_key, c.id",
        SortOrder::Phone => "c.phone NULLS LAST, c.id",
        SortOrder::Email => "c.email NULLS LAST, c.id",
    };
    let page_sql = format!(
        "SELECT c.id, c.first_name, c.last_name, c.email, c.phone, s.name AS status, c.is_test \
         FROM customers c JOIN status_types s ON s.id = c.status_id WHERE {filter} \
         ORDER BY {order} LIMIT {} OFFSET {}",
        query.limit, query.offset
    );
    let count_sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM customers c WHERE {filter} LIMIT {}) capped",
        COUNT_CAP + 1
    );
    let mut page = sqlx::query_as::<_, ResultRowData>(&page_sql);
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for value in &values {
        page = page.bind(value.clone());
        count = count.bind(value.clone());
    }
    let rows = page.fetch_all(db.pool()).await?;
    let total = count.fetch_one(db.pool()).await?;
    Ok(SearchResults {
        rows: rows
            .into_iter()
            .map(|r| ResultRow {
                id: r.id,
                first_name: r.first_name,
                last_name: r.last_name,
                email: if show_pii {
                    r.email
                } else {
                    r.email.as_deref().map(mask_email)
                },
                phone: if show_pii {
                    r.phone
                } else {
                    r.phone.as_deref().map(mask_phone)
                },
                status: r.status,
                is_test: r.is_test != 0,
            })
            .collect(),
        total,
    })
}

#[derive(sqlx::FromRow)]
struct ResultRowData {
    id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    status: String,
    is_test: i64,
}
