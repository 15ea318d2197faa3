//! SQL of likely duplicates: customers with the same name keys (index
//! `customers_by_name_and_birth`) and identifiers with the same match key (partial index
//! `customer_identifiers_by_match_key`).

use crate::store::{list_placeholders, Db};

/// One row of [`candidates`]: (why, other customer's id, the shared value, their first name,
/// last name, is_test). `why` is `self` (customer `id` itself: it exists), `name_and_birth`,
/// `name_and_postcode`, `email` or `phone`.
pub type Candidate = (String, String, String, Option<String>, Option<String>, i64);

/// The customers who share with customer `id` its name keys and date of birth (index
/// `customers_by_name_and_birth`), its name keys and postcode (`customers_by_name_and_postcode`,
/// both postcodes compared in capitals without spaces), or an identifier's match key (partial
/// index `customer_identifiers_by_match_key`), at most 200 of each, in one statement (a page
/// render's round trips add up), and a row `self` when the customer exists. The CTEs are
/// what Citus plans first, so no join between two distributed tables leaves their shards.
pub async fn candidates(db: &Db, id: &str) -> Result<Vec<Candidate>, sqlx::Error> {
    sqlx::query_as(
        "WITH me AS (SELECT id, first_name_key AS f, last_name_key AS l, date_of_birth AS b, \
                     UPPER(REPLACE(postal_code, ' ', '')) AS p FROM customers WHERE id = $1), \
         keys AS (SELECT kind, match_key FROM customer_identifiers \
                  WHERE customer_id = $1 AND match_key IS NOT NULL) \
         SELECT 'self', id, '', NULL, NULL, CAST(0 AS BIGINT) FROM me \
         UNION ALL SELECT * FROM ( \
           SELECT 'name_and_birth', o.id, o.date_of_birth, o.first_name, o.last_name, o.is_test \
           FROM me JOIN customers o ON o.last_name_key = me.l AND o.first_name_key = me.f \
             AND o.date_of_birth = me.b \
           WHERE me.f <> '' AND me.l <> '' AND o.id <> me.id LIMIT 200) by_birth \
         UNION ALL SELECT * FROM ( \
           SELECT 'name_and_postcode', o.id, me.p, o.first_name, o.last_name, o.is_test \
           FROM me JOIN customers o ON o.last_name_key = me.l AND o.first_name_key = me.f \
             AND UPPER(REPLACE(o.postal_code, ' ', '')) = me.p \
           WHERE me.f <> '' AND me.l <> '' AND me.p <> '' AND o.id <> me.id LIMIT 200) by_postcode \
         UNION ALL SELECT * FROM ( \
           SELECT o.kind, o.customer_id, o.normalized, c.first_name, c.last_name, c.is_test \
           FROM keys JOIN customer_identifiers o ON o.match_key = keys.match_key \
             AND o.kind = keys.kind \
           JOIN customers c ON c.id = o.customer_id \
           WHERE o.customer_id <> $1 LIMIT 200) by_identifier",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await
}

/// Other customers holding an identifier of `kind` with match key `key`: (id, normalized),
/// at most 50.
pub async fn same_match_key(
    db: &Db,
    kind: &str,
    key: &str,
    except: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT customer_id, normalized FROM customer_identifiers \
         WHERE match_key IS NOT NULL AND match_key = $1 AND kind = $2 \
         AND customer_id <> $3 LIMIT 50",
    )
    .bind(key)
    .bind(kind)
    .bind(except)
    .fetch_all(db.pool())
    .await
}

/// (id, first name, last name, is_test) of each of `ids` that exists.
pub async fn names(
    db: &Db,
    ids: &[String],
) -> Result<Vec<(String, Option<String>, Option<String>, i64)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, first_name, last_name, is_test FROM customers WHERE id IN ({})",
        list_placeholders(db.backend(), 1, ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(db.pool()).await
}

/// Up to `limit` match keys of `kind` after `after` that more than one customer holds, each
/// with its holders: (match key, customer id, normalized), by key.
pub async fn shared_match_keys(
    db: &Db,
    kind: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.match_key, i.customer_id, i.normalized FROM customer_identifiers i \
         JOIN (SELECT match_key FROM customer_identifiers \
               WHERE match_key IS NOT NULL AND match_key > $1 AND kind = $2 \
               GROUP BY match_key HAVING MIN(customer_id) <> MAX(customer_id) \
               ORDER BY match_key LIMIT $3) shared ON shared.match_key = i.match_key \
         WHERE i.kind = $4 ORDER BY i.match_key, i.customer_id",
    )
    .bind(after)
    .bind(kind)
    .bind(limit)
    .bind(kind)
    .fetch_all(db.pool())
    .await
}

/// A same-name group's key: (last name key, first name key, the detail shared).
pub type NameKey = (String, String, String);

/// The detail a same-name group shares besides the name.
#[derive(Debug, Clone, Copy)]
pub enum NameAnd {
    /// The date of birth (index `customers_by_name_and_birth`).
    Birth,
    /// The postcode in capitals without spaces (index `customers_by_name_and_postcode`).
    Postcode,
}

impl NameAnd {
    /// The SQL expression of the detail, as its index has it, of the table called `table`.
    fn of(self, table: &str) -> String {
        match self {
            Self::Birth => format!("{table}.date_of_birth"),
            Self::Postcode => format!("UPPER(REPLACE({table}.postal_code, ' ', ''))"),
        }
    }
}

/// Up to `limit` (last name key, first name key, detail) after `after` that more than one
/// customer shares, each with its customers: (key…, id), in key order.
pub async fn shared_name_and(
    db: &Db,
    detail: NameAnd,
    after: &NameKey,
    limit: i64,
) -> Result<Vec<(String, String, String, String)>, sqlx::Error> {
    let (shared, c_shared) = (detail.of("s"), detail.of("c"));
    let key = format!("s.last_name_key, s.first_name_key, {shared}");
    sqlx::query_as(&format!(
        "SELECT c.last_name_key, c.first_name_key, {c_shared}, c.id FROM customers c \
         JOIN (SELECT s.last_name_key, s.first_name_key, {shared} AS detail FROM customers s \
               WHERE {shared} IS NOT NULL AND {shared} <> '' AND s.last_name_key IS NOT NULL \
               AND s.first_name_key IS NOT NULL AND ({key}) > ($1, $2, $3) \
               GROUP BY {key} HAVING COUNT(*) > 1 ORDER BY {key} LIMIT $4) shared \
         ON shared.last_name_key = c.last_name_key AND shared.first_name_key = c.first_name_key \
         AND shared.detail = {c_shared} \
         ORDER BY c.last_name_key, c.first_name_key, {c_shared}, c.id"
    ))
    .bind(&after.0)
    .bind(&after.1)
    .bind(&after.2)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
