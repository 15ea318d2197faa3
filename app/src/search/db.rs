//! SQL for exact-match and advanced search.

use super::advanced::{NormalisedQuery, ResultRow, SearchResults, SortOrder, COUNT_CAP};
use crate::identity::{mask_email, mask_phone};
use crate::identity::{Identifier, IdentifierKind};
use crate::store::Db;

/// The lookup of a customer by our own id (`$1`).
pub const BY_ID_SQL: &str = "SELECT id FROM customers WHERE id = $1";

/// The id of the customer holding any of `candidates` (tried in order), if there is one.
pub async fn find_by_identifier(
    db: &Db,
    candidates: &[Identifier],
) -> Result<Option<String>, sqlx::Error> {
    for candidate in candidates {
        let found: Option<String> = if candidate.kind == IdentifierKind::CustomerId {
            sqlx::query_scalar(BY_ID_SQL)
                .bind(&candidate.value)
                .fetch_optional(db.pool())
                .await?
        } else {
            crate::identity::db::owner(db, candidate.kind.name(), &candidate.value).await?
        };
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// Above this many matches a name-sorted page walks the name index in order (stopping after
/// one page) instead of collecting and sorting every match.
pub const BROAD_MATCHES: i64 = 2_000;

/// The SQL of an advanced search: the page query, the capped count query, and the values
/// both bind in order. With `broad` (many matches), a prefix that does not lead the sort's
/// index is written as an expression (`key || ''`), which no index serves, so both
/// SQLite and PostgreSQL walk the sort's index in order and stop after one page.
pub fn advanced_sql(query: &NormalisedQuery, broad: bool) -> (String, String, Vec<String>) {
    let initial = walked_initial(query, broad);
    let mut filters = Filters::default();
    filters.prefixes(query, broad, initial.is_some());
    filters.exact(query, initial.as_ref());
    let (filter, page_filter) = (joined(&filters.count), joined(&filters.page));
    let order = order_by(query, initial.is_some());
    // The page's ids first (from an index where possible), then only those rows.
    let page_sql = format!(
        "SELECT c.id, c.first_name, c.last_name, c.email, c.phone, s.name AS status, c.is_test \
         FROM (SELECT c.id FROM customers c WHERE {page_filter} ORDER BY {order} \
               LIMIT {} OFFSET {}) page \
         JOIN customers c ON c.id = page.id JOIN status_types s ON s.id = c.status_id \
         ORDER BY {order}",
        query.limit, query.offset
    );
    let count_sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM customers c WHERE {filter} LIMIT {}) capped",
        COUNT_CAP + 1
    );
    (page_sql, count_sql, filters.values)
}

/// A first-name prefix alone, sorted by a contact: the customers of its leading letters are
/// walked in contact order (`customers_by_initial_email` / `_phone`), the rest of the prefix
/// checked from the same index. Sorted by email, a prefix of three or more letters walks the
/// customers of its first three (`customers_by_first3_email`): emails start with the name, so
/// the initial's walk would pass every earlier email of that letter first. How many letters,
/// and which.
fn walked_initial(query: &NormalisedQuery, broad: bool) -> Option<(usize, String)> {
    let by_initial = broad
        && matches!(query.sort, SortOrder::Email | SortOrder::Phone)
        && query.last_prefix.is_none()
        && query.email_prefix.is_none();
    let leading_letters = match query.sort {
        SortOrder::Email => 3,
        _ => 1,
    };
    let prefix = query
        .first_prefix
        .as_deref()
        .filter(|p| by_initial && !p.is_empty())?;
    let letters = if prefix.chars().count() >= leading_letters {
        leading_letters
    } else {
        1
    };
    Some((letters, prefix.chars().take(letters).collect()))
}

/// The conditions of the count and of the page query, and the values both bind in order.
#[derive(Default)]
struct Filters {
    count: Vec<String>,
    page: Vec<String>,
    values: Vec<String>,
}

impl Filters {
    /// Binds `value`; its placeholder number.
    fn bind(&mut self, value: String) -> usize {
        self.values.push(value);
        self.values.len()
    }

    fn in_both(&mut self, condition: String) {
        self.count.push(condition.clone());
        self.page.push(condition);
    }

    /// The name and email prefixes as half-open ranges, each written so that the right index
    /// serves it (`column || ''` keeps a planner off an index).
    fn prefixes(&mut self, query: &NormalisedQuery, broad: bool, walks_initial: bool) {
        let hide_from_page_index = |column: &str| {
            broad
                && match query.sort {
                    SortOrder::LastName => column == "c.first_name_key",
                    SortOrder::FirstName => column == "c.last_name_key",
                    SortOrder::Phone => true,
                    // Emails start with the name, so walking the email index for a name
                    // prefix reads most of it before a page matches: collect the matches and
                    // sort (or, with a first-name prefix alone, walk its initial's index).
                    SortOrder::Email => walks_initial && column == "c.first_name_key",
                }
        };
        // With both name prefixes, the count walks the index of the longer (more selective).
        let hide_from_count_index = |column: &str| match (&query.first_prefix, &query.last_prefix) {
            (Some(first), Some(last)) if column == "c.first_name_key" => last.len() >= first.len(),
            (Some(first), Some(last)) if column == "c.last_name_key" => last.len() < first.len(),
            _ => false,
        };
        let written = |column: &str, hidden: bool| match hidden {
            true => format!("({column} || '')"),
            false => column.to_string(),
        };
        for (column, value) in [
            ("c.first_name_key", &query.first_prefix),
            ("c.last_name_key", &query.last_prefix),
            ("c.email", &query.email_prefix),
        ] {
            let Some(value) = value else { continue };
            let low = self.bind(value.clone());
            let high = self.bind(format!("{value}\u{10FFFF}"));
            let counted = written(column, hide_from_count_index(column));
            self.count
                .push(format!("{counted} >= ${low} AND {counted} < ${high}"));
            let paged = written(column, hide_from_page_index(column));
            self.page
                .push(format!("{paged} >= ${low} AND {paged} < ${high}"));
        }
    }

    /// Phone, id, date of birth and attribute as equalities, and the walked initial.
    fn exact(&mut self, query: &NormalisedQuery, initial: Option<&(usize, String)>) {
        for (column, value) in [
            ("c.phone", &query.phone),
            ("c.id", &query.id),
            ("c.date_of_birth", &query.dob),
        ] {
            if let Some(value) = value {
                let at = self.bind(value.clone());
                self.in_both(format!("{column} = ${at}"));
            }
        }
        if let Some((name, value)) = &query.attribute {
            let key = self.bind(name.clone());
            let found = self.bind(value.clone());
            self.in_both(format!(
                "EXISTS (SELECT 1 FROM customer_attributes a WHERE a.customer_id = c.id \
                 AND a.key = ${key} AND a.value = ${found})"
            ));
        }
        if let Some((letters, leading)) = initial {
            // In both queries, so they bind the same values (the count's range implies it).
            let at = self.bind(leading.clone());
            self.in_both(format!("substr(c.first_name_key, 1, {letters}) = ${at}"));
        }
    }
}

fn joined(conditions: &[String]) -> String {
    if conditions.is_empty() {
        "1 = 1".to_string()
    } else {
        conditions.join(" AND ")
    }
}

/// The page's ORDER BY for the query's sort.
fn order_by(query: &NormalisedQuery, walks_initial: bool) -> &'static str {
    match query.sort {
        SortOrder::LastName => "c.last_name_key, c.first_name_key, c.id",
        SortOrder::FirstName => "c.first_name_key, c.last_name_key, c.id",
        SortOrder::Phone => "(c.phone IS NULL), c.phone, c.id",
        // With a name prefix, sort the matches (their emails come from a covering name index)
        // rather than walk the email index: `|| ''` keeps every planner off the latter.
        SortOrder::Email
            if !walks_initial && (query.first_prefix.is_some() || query.last_prefix.is_some()) =>
        {
            "(c.email IS NULL), (c.email || ''), c.id"
        }
        SortOrder::Email => "(c.email IS NULL), c.email, c.id",
    }
}

/// One page of an advanced search and the (capped) number of matches. Name and email
/// prefixes are half-open ranges on their indexed keys, so they are index range scans.
pub async fn advanced(
    db: &Db,
    query: &NormalisedQuery,
    show_pii: bool,
) -> Result<SearchResults, sqlx::Error> {
    let (_, count_sql, values) = advanced_sql(query, false);
    // Not kept prepared: PostgreSQL would switch to one generic plan for every prefix and page
    // size, planned without the values that decide between an index walk and a sort.
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql).persistent(false);
    for value in &values {
        count = count.bind(value.clone());
    }
    let total = count.fetch_one(db.pool()).await?;
    let (page_sql, _, values) = advanced_sql(query, total > BROAD_MATCHES);
    let mut page = sqlx::query_as::<_, ResultRowData>(&page_sql).persistent(false);
    for value in &values {
        page = page.bind(value.clone());
    }
    let rows = page.fetch_all(db.pool()).await?;
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

/// The database's plan for `sql` with `values` bound (for the benchmark's report).
pub async fn explain(db: &Db, sql: &str, values: &[String]) -> Result<Vec<String>, sqlx::Error> {
    use sqlx::Row;
    let prefix = match db.backend() {
        crate::store::Backend::Sqlite => "EXPLAIN QUERY PLAN ",
        crate::store::Backend::Postgres => "EXPLAIN ",
    };
    let explain_sql = format!("{prefix}{sql}");
    let mut query = sqlx::query(&explain_sql);
    for value in values {
        query = query.bind(value.clone());
    }
    let rows = query.fetch_all(db.pool()).await?;
    Ok(rows
        .iter()
        .map(|row| match db.backend() {
            crate::store::Backend::Sqlite => row.try_get::<String, _>(3).unwrap_or_default(),
            crate::store::Backend::Postgres => row.try_get::<String, _>(0).unwrap_or_default(),
        })
        .collect())
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

/// What the benchmark types for one sampled customer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SampledCustomer {
    /// Customer id.
    pub id: String,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Card.
    pub card_number: Option<String>,
    /// External id.
    pub external_id: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<String>,
    /// Folded first name.
    pub first_name_key: String,
    /// Folded last name.
    pub last_name_key: String,
}

/// The first customer whose id is at least `floor` (a cheap way to sample customers).
pub async fn customer_at_or_after(
    db: &Db,
    floor: &str,
) -> Result<Option<SampledCustomer>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, email, phone, card_number, external_id, date_of_birth, first_name_key, \
         last_name_key FROM customers WHERE id >= $1 ORDER BY id LIMIT 1",
    )
    .bind(floor)
    .fetch_optional(db.pool())
    .await
}
