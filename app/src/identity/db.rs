//! SQL for customer identifiers: `customer_identifiers` (a customer's own list, keyed and on
//! Citus distributed by customer) and `identifier_owners` (who holds a value, keyed and
//! distributed by the value). Both are written in the same transaction; the owners' key is
//! what refuses a value a second customer tries to take, on every database.

use crate::store::{list_placeholders, values_placeholders, Backend, Db};
use sqlx::{Any, Transaction};

/// Rows per multi-row insert (8 values each, well under SQLite's parameter limit).
const INSERT_BATCH: usize = 200;

/// One identifier to store: its kind (`IdentifierKind::column`), the normalised value looked
/// up by, and the value as entered.
#[derive(Debug, Clone)]
pub struct NewIdentifier<'a> {
    /// Who holds it.
    pub customer_id: &'a str,
    /// `email`, `phone`, `card_number`, `external_id`.
    pub kind: &'a str,
    /// The form it is found by.
    pub normalized: &'a str,
    /// As it was typed or sent.
    pub value: &'a str,
    /// The customer's primary identifier of this kind.
    pub is_primary: bool,
    /// `console`, `ingest`, `import` or `migration`.
    pub source: &'a str,
    /// When, in epoch milliseconds.
    pub added_at: i64,
}

/// The lookup of [`owner`]: `$1` the normalised value, `$2` the kind.
pub const OWNER_SQL: &str =
    "SELECT customer_id FROM identifier_owners WHERE normalized = $1 AND kind = $2";

/// The customer holding `normalized` of `kind`, if any: one row of one shard.
pub async fn owner(db: &Db, kind: &str, normalized: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(OWNER_SQL)
        .bind(normalized)
        .bind(kind)
        .fetch_optional(db.pool())
        .await
}

/// [`owners`] of `values` (sorted), a shard's values a statement on Citus (an `IN` list over
/// many shards is sent whole to every shard), runs of 500 elsewhere.
pub async fn owners_by_shard(
    connection: &mut sqlx::AnyConnection,
    kind: &str,
    values: &[&str],
    citus: bool,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let groups =
        crate::store::shard_groups(connection, "identifier_owners", values, citus, 500).await?;
    let mut found = Vec::new();
    for group in groups {
        let group: Vec<String> = group.into_iter().map(str::to_string).collect();
        found.extend(owners(connection, kind, &group).await?);
    }
    Ok(found)
}

/// The holders of each of `values` of `kind` (those nobody holds are missing).
pub async fn owners(
    connection: &mut sqlx::AnyConnection,
    kind: &str,
    values: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let backend = Backend::of(connection);
    let sql = format!(
        "SELECT normalized, customer_id FROM identifier_owners WHERE kind = {} AND normalized IN ({})",
        list_placeholders(backend, 1, 1),
        list_placeholders(backend, 2, values.len())
    );
    let mut query = sqlx::query_as(&sql).bind(kind);
    for value in values {
        query = query.bind(value);
    }
    query.fetch_all(connection).await
}

/// Stores `identifiers` in multi-row statements: a value someone already holds fails the
/// statement with a unique violation.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    identifiers: &[NewIdentifier<'_>],
) -> Result<(), sqlx::Error> {
    let backend = Backend::of(tx);
    for chunk in identifiers.chunks(INSERT_BATCH) {
        let sql = format!(
            "INSERT INTO identifier_owners (normalized, kind, customer_id) VALUES {}",
            values_placeholders(backend, chunk.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(id.normalized).bind(id.kind).bind(id.customer_id);
        }
        query.execute(&mut **tx).await?;
        let sql = format!(
            "INSERT INTO customer_identifiers (customer_id, kind, normalized, value, is_primary, \
             added_at, source, match_key) VALUES {}",
            values_placeholders(backend, chunk.len(), 8)
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query
                .bind(id.customer_id)
                .bind(id.kind)
                .bind(id.normalized)
                .bind(id.value)
                .bind(i64::from(id.is_primary))
                .bind(id.added_at)
                .bind(id.source)
                .bind(super::model::match_key(id.kind, id.normalized));
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Removes one of a customer's identifiers (and its owner row); whether it was there.
pub async fn remove(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    kind: &str,
    normalized: &str,
) -> Result<bool, sqlx::Error> {
    let removed = sqlx::query(
        "DELETE FROM customer_identifiers WHERE customer_id = $1 AND kind = $2 AND normalized = $3",
    )
    .bind(customer_id)
    .bind(kind)
    .bind(normalized)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "DELETE FROM identifier_owners WHERE normalized = $1 AND kind = $2 AND customer_id = $3",
    )
    .bind(normalized)
    .bind(kind)
    .bind(customer_id)
    .execute(&mut **tx)
    .await?;
    Ok(removed.rows_affected() > 0)
}

/// A stored identifier: (kind, normalized, value, is_primary, added_at, source).
pub type IdentifierRow = (String, String, String, i64, i64, String);

/// A customer's identifiers: by kind, the primary first, then the oldest first.
pub async fn list<'c, E>(executor: E, customer_id: &str) -> Result<Vec<IdentifierRow>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    sqlx::query_as(
        "SELECT i.kind, i.normalized, i.value, i.is_primary, i.added_at, i.source \
         FROM customer_identifiers i JOIN identifier_kinds k ON k.id = i.kind \
         WHERE i.customer_id = $1 ORDER BY k.sort_order, i.is_primary DESC, i.added_at, i.normalized",
    )
    .bind(customer_id)
    .fetch_all(executor)
    .await
}

/// Frees every value a customer holds (for a forget, before its rows go), one owner row at a
/// time so that on Citus each delete goes to the shard holding the value.
pub async fn remove_owners(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
) -> Result<(), sqlx::Error> {
    for (kind, normalized, ..) in list(&mut **tx, customer_id).await? {
        sqlx::query(
            "DELETE FROM identifier_owners WHERE normalized = $1 AND kind = $2 \
             AND customer_id = $3",
        )
        .bind(&normalized)
        .bind(&kind)
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Makes `new` (normalised, as entered) the customer's primary identifier of `kind` in place
/// of `old` (normalised; either may be absent): the old one is removed, the new one added, or
/// promoted when the customer already holds it. A value another customer holds fails with a
/// unique violation. `source` says what added it (`console`, `import`).
pub async fn replace_primary(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    kind: &str,
    old: Option<&str>,
    new: Option<(&str, &str)>,
    source: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    if let Some(old) = old {
        remove(tx, customer_id, kind, old).await?;
    }
    if let Some((normalized, value)) = new {
        remove(tx, customer_id, kind, normalized).await?;
        let identifier = NewIdentifier {
            customer_id,
            kind,
            normalized,
            value,
            is_primary: true,
            source,
            added_at: now,
        };
        insert(tx, std::slice::from_ref(&identifier)).await?;
    }
    Ok(())
}

/// Whether customer `id` exists.
pub async fn customer_exists<'c, E>(executor: E, id: &str) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(found.is_some())
}

/// Locks customer `id` for the rest of the transaction (on PostgreSQL; SQLite has one writer)
/// so that concurrent changes to its identifiers queue; whether it has a first or last name,
/// `None` when there is no such customer.
pub async fn lock_customer(
    tx: &mut Transaction<'_, Any>,
    id: &str,
) -> Result<Option<bool>, sqlx::Error> {
    let lock = match Backend::of(tx) {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    sqlx::query_scalar(&format!(
        "SELECT CASE WHEN COALESCE(TRIM(first_name), '') <> '' \
         OR COALESCE(TRIM(last_name), '') <> '' THEN 1 ELSE 0 END FROM customers WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
    .map(|found: Option<i64>| found.map(|named| named != 0))
}

/// Marks one of a customer's identifiers primary or not.
pub async fn set_primary_flag(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    kind: &str,
    normalized: &str,
    primary: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customer_identifiers SET is_primary = $1 \
         WHERE customer_id = $2 AND kind = $3 AND normalized = $4",
    )
    .bind(i64::from(primary))
    .bind(customer_id)
    .bind(kind)
    .bind(normalized)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Copies the primary identifier of `kind` into the customer's own column (for lists, sorting
/// and the profile), bumping the row version so that an edit form opened before fails
/// instead of overwriting it; a new primary phone is not verified.
pub async fn set_primary_copy(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    kind: super::IdentifierKind,
    value: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    use super::IdentifierKind::{Card, CustomerId, Email, ExternalId, Phone};
    let set = match kind {
        Email => "email = $1",
        Phone => "phone = $1, phone_verified = 0",
        Card => "card_number = $1",
        // The profile shows an external id as entered (its key may be folded).
        ExternalId => {
            "external_id = (SELECT TRIM(value) FROM customer_identifiers \
             WHERE customer_id = $3 AND kind = 'external_id' AND normalized = $1)"
        }
        CustomerId => return Ok(()),
    };
    sqlx::query(&format!(
        "UPDATE customers SET {set}, updated_at = $2, version = version + 1 WHERE id = $3"
    ))
    .bind(value)
    .bind(now)
    .bind(customer_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Where customer id `id` leads now if that customer was merged into another (following
/// later merges): the survivor, whose profile and identifiers it became.
pub async fn survivor_of(db: &Db, id: &str) -> Result<Option<String>, sqlx::Error> {
    let mut connection = db.pool().acquire().await?;
    let found = survivors(&mut connection, &[id.to_string()]).await?;
    Ok(found.into_iter().next().map(|(_, survivor)| survivor))
}

/// For each of `ids` that was merged into another customer, `(id, survivor)` (following later
/// merges; a chain longer than 16 would be a cycle, which merges cannot make), for the ingest
/// API, which takes events for a merged-away id, and for pages.
pub async fn survivors(
    connection: &mut sqlx::AnyConnection,
    ids: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let backend = Backend::of(connection);
    let mut found: Vec<(String, String)> = Vec::new();
    let mut asking: Vec<(String, String)> = ids.iter().map(|id| (id.clone(), id.clone())).collect();
    for _ in 0..16 {
        if asking.is_empty() {
            break;
        }
        let sql = format!(
            "SELECT customer_id, survivor_id FROM customer_redirects WHERE customer_id IN ({})",
            list_placeholders(backend, 1, asking.len())
        );
        let mut query = sqlx::query_as::<_, (String, String)>(&sql);
        for (_, current) in &asking {
            query = query.bind(current);
        }
        let hops: std::collections::HashMap<String, String> = query
            .fetch_all(&mut *connection)
            .await?
            .into_iter()
            .collect();
        asking = asking
            .into_iter()
            .filter_map(|(id, current)| hops.get(&current).map(|next| (id, next.clone())))
            .collect();
        for (id, survivor) in &asking {
            match found.iter_mut().find(|(f, _)| f == id) {
                Some(entry) => entry.1 = survivor.clone(),
                None => found.push((id.clone(), survivor.clone())),
            }
        }
    }
    Ok(found)
}

/// The database's ASCII lower-casing of `column` (SQLite's `lower` is ASCII only; PostgreSQL's
/// `lower` follows the collation, so letters are translated one by one).
fn ascii_lower(backend: Backend, column: &str) -> String {
    match backend {
        Backend::Sqlite => format!("lower({column})"),
        Backend::Postgres => format!(
            "translate({column}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
        ),
    }
}

/// External ids that two identifiers would share once their case is ignored (held by two
/// customers, or twice by one), at most five: (folded id, customer, the id as entered), by
/// folded id and customer.
pub async fn external_id_case_clashes(
    connection: &mut sqlx::AnyConnection,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let folded = ascii_lower(Backend::of(connection), "normalized");
    sqlx::query_as(&format!(
        "SELECT {folded}, customer_id, value FROM customer_identifiers \
         WHERE kind = 'external_id' AND {folded} IN (SELECT {folded} FROM customer_identifiers \
         WHERE kind = 'external_id' GROUP BY {folded} HAVING COUNT(*) > 1 ORDER BY 1 LIMIT 5) \
         ORDER BY 1, 2"
    ))
    .fetch_all(connection)
    .await
}

/// Stores every external id in the form [`super::fold_external_id`] gives for `ignore_case`:
/// the identifiers, their owner rows (deleted and inserted again: on Citus the value is the
/// owners' distribution column) and the customers' copies of the primary. Check
/// [`external_id_case_clashes`] first when turning `ignore_case` on.
pub async fn refold_external_ids(
    tx: &mut Transaction<'_, Any>,
    ignore_case: bool,
) -> Result<u64, sqlx::Error> {
    let backend = Backend::of(tx);
    let target = if ignore_case {
        ascii_lower(backend, "TRIM(value)")
    } else {
        "TRIM(value)".to_string()
    };
    let changed = sqlx::query(&format!(
        "UPDATE customer_identifiers SET normalized = {target} \
         WHERE kind = 'external_id' AND normalized <> {target}"
    ))
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM identifier_owners WHERE kind = 'external_id'")
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO identifier_owners (normalized, kind, customer_id) \
         SELECT normalized, kind, customer_id FROM customer_identifiers WHERE kind = 'external_id'",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE customers SET external_id = (SELECT TRIM(i.value) FROM customer_identifiers i \
         WHERE i.customer_id = customers.id AND i.kind = 'external_id' AND i.is_primary = 1) \
         WHERE external_id IS NOT NULL",
    )
    .execute(&mut **tx)
    .await?;
    Ok(changed.rows_affected())
}

/// Every stored phone and email identifier: (customer, kind, normalised, as entered, primary).
pub async fn phones_and_emails(
    db: &Db,
) -> Result<Vec<(String, String, String, String, bool)>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT customer_id, kind, normalized, value, is_primary FROM customer_identifiers \
         WHERE kind IN ('phone', 'email') ORDER BY customer_id, kind, normalized",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(c, k, n, v, p)| (c, k, n, v, p != 0))
        .collect())
}

/// Rewrites customer `customer_id`'s identifier `old` of `kind` as `new` (its match key too),
/// moves its owner row (deleted and inserted: on Citus the value is the owners' distribution
/// column) and, for a primary, the customer's copy.
pub async fn rewrite(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    kind: &str,
    old: &str,
    new: &str,
    is_primary: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customer_identifiers SET normalized = $1, match_key = $2 \
         WHERE customer_id = $3 AND kind = $4 AND normalized = $5",
    )
    .bind(new)
    .bind(super::model::match_key(kind, new))
    .bind(customer_id)
    .bind(kind)
    .bind(old)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM identifier_owners WHERE normalized = $1 AND kind = $2")
        .bind(old)
        .bind(kind)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO identifier_owners (normalized, kind, customer_id) VALUES ($1, $2, $3)",
    )
    .bind(new)
    .bind(kind)
    .bind(customer_id)
    .execute(&mut **tx)
    .await?;
    if is_primary {
        let column = if kind == "phone" { "phone" } else { "email" };
        sqlx::query(&format!("UPDATE customers SET {column} = $1 WHERE id = $2"))
            .bind(new)
            .bind(customer_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Gives identifier `normalized` of `kind` of customer `customer_id` the match key of `like`
/// (the value another customer holds), so the two are listed as likely duplicates.
pub async fn match_like(
    tx: &mut Transaction<'_, Any>,
    customer_id: &str,
    kind: &str,
    normalized: &str,
    like: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customer_identifiers SET match_key = $1 \
         WHERE customer_id = $2 AND kind = $3 AND normalized = $4",
    )
    .bind(super::model::match_key(kind, like))
    .bind(customer_id)
    .bind(kind)
    .bind(normalized)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
