//! SQL for customers: the header and profile reads, counts, and batched inserts.

use super::model::{Contact, CustomerHeader, CustomerProfile, NewCustomer, StatusBadge};
use crate::identity::db::NewIdentifier;
use crate::store::{list_placeholders, values_placeholders, Backend, Db};
use sqlx::{Any, FromRow, Transaction};

/// How many customers one multi-row INSERT carries (SQLite allows 32,766 variables).
pub const INSERT_BATCH: usize = 200;

#[derive(FromRow)]
struct HeaderRow {
    id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    card_number: Option<String>,
    external_id: Option<String>,
    status_id: String,
    status_name: String,
    status_colour: String,
    points_balance: i64,
    tier: Option<String>,
    tier_since: Option<i64>,
    created_at: i64,
    last_active_at: Option<i64>,
    purchase_count: i64,
    is_test: i64,
    restricted_at: Option<i64>,
}

impl HeaderRow {
    fn into_header(self, show_pii: bool) -> CustomerHeader {
        let mut row = self;
        if !show_pii {
            row.email = row.email.as_deref().map(crate::identity::mask_email);
            row.phone = row.phone.as_deref().map(crate::identity::mask_phone);
        }
        let display_name =
            super::model::full_name(row.first_name.as_deref(), row.last_name.as_deref())
                .or(row.email)
                .or(row.phone)
                .or(row.card_number.map(|c| format!("Card {c}")))
                .or(row.external_id.map(|e| format!("External id {e}")))
                .unwrap_or_else(|| "Unnamed customer".into());
        CustomerHeader {
            id: row.id,
            display_name,
            status: StatusBadge {
                id: row.status_id,
                name: row.status_name,
                colour: row.status_colour,
            },
            points_balance: row.points_balance,
            tier: row.tier,
            tier_since: row.tier_since,
            member_since: row.created_at,
            last_active_at: row.last_active_at,
            purchase_count: row.purchase_count,
            spend: Vec::new(),
            home_currency: String::new(),
            is_test: row.is_test != 0,
            restricted_at: row.restricted_at,
        }
    }
}

/// The header of one customer; email and phone masked unless `show_pii`.
pub async fn header(
    db: &Db,
    id: &str,
    show_pii: bool,
) -> Result<Option<CustomerHeader>, sqlx::Error> {
    let row: Option<HeaderRow> = sqlx::query_as(
        "SELECT c.id, c.first_name, c.last_name, c.email, c.phone, c.card_number, c.external_id, \
                c.status_id, s.name AS status_name, s.colour AS status_colour, c.points_balance, \
                c.tier, c.tier_since, c.created_at, c.last_active_at, c.purchase_count, \
                c.is_test, c.restricted_at \
         FROM customers c JOIN status_types s ON s.id = c.status_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|row| row.into_header(show_pii)))
}

/// Whether customer `id` is a test persona (`false` when there is no such customer).
pub async fn is_test(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let flag: Option<i64> = sqlx::query_scalar("SELECT is_test FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(flag.unwrap_or(0) != 0)
}

/// Customer `id`'s purchases and refunds per currency (from the events, through index
/// `events_money`): (currency, purchases, spent, refunded), by currency.
pub async fn spend_by_currency(
    db: &Db,
    id: &str,
) -> Result<Vec<crate::money::CurrencyTotal>, sqlx::Error> {
    let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT currency, \
                CAST(SUM(CASE WHEN event_type = 'purchase' THEN 1 ELSE 0 END) AS BIGINT), \
                CAST(SUM(CASE WHEN event_type = 'purchase' THEN amount_cents ELSE 0 END) AS BIGINT), \
                CAST(SUM(CASE WHEN event_type = 'refund' THEN amount_cents ELSE 0 END) AS BIGINT) \
         FROM events WHERE customer_id = $1 AND amount_cents IS NOT NULL \
           AND currency IS NOT NULL AND event_type IN ('purchase', 'refund') \
         GROUP BY currency ORDER BY currency",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(currency, purchases, spent, refunded)| crate::money::CurrencyTotal {
                currency,
                purchases,
                spent,
                refunded,
            },
        )
        .collect())
}

#[derive(FromRow)]
struct ProfileRow {
    id: String,
    #[sqlx(flatten)]
    contact: Contact,
    home_store: Option<String>,
    email_opt_in: i64,
    sms_opt_in: i64,
    push_opt_in: i64,
    phone_verified: i64,
    version: i64,
}

/// The Profile tab of one customer, or `None` when there is no such customer.
pub async fn profile(db: &Db, id: &str) -> Result<Option<CustomerProfile>, sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    profile_on(&mut conn, id).await
}

/// [`profile`] inside transaction `tx`.
pub async fn profile_in(
    tx: &mut Transaction<'_, Any>,
    id: &str,
) -> Result<Option<CustomerProfile>, sqlx::Error> {
    profile_on(tx, id).await
}

async fn profile_on(
    conn: &mut sqlx::AnyConnection,
    id: &str,
) -> Result<Option<CustomerProfile>, sqlx::Error> {
    Ok(profiles_on(conn, &[id.to_string()])
        .await?
        .into_iter()
        .next())
}

/// The profiles of customers `ids` (those that exist, in no particular order), in two
/// statements whatever their number (an import reads a batch's matches at once).
pub async fn profiles_on(
    conn: &mut sqlx::AnyConnection,
    ids: &[String],
) -> Result<Vec<CustomerProfile>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = list_placeholders(Backend::of(&*conn), 1, ids.len());
    let sql = format!(
        "SELECT c.id, c.first_name, c.last_name, c.email, c.phone, c.card_number, c.external_id, \
                c.date_of_birth, c.address_line, c.city, c.postal_code, c.country, \
                s.name AS home_store, c.email_opt_in, c.sms_opt_in, c.push_opt_in, c.phone_verified, \
                c.version \
         FROM customers c LEFT JOIN stores s ON s.id = c.home_store_id WHERE c.id IN ({placeholders})"
    );
    let mut query = sqlx::query_as::<_, ProfileRow>(&sql);
    for id in ids {
        query = query.bind(id);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut attributes = crate::attributes::db::of_customers(&mut *conn, ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| CustomerProfile {
            attributes: attributes.remove(&row.id).unwrap_or_default(),
            id: row.id,
            contact: row.contact,
            home_store: row.home_store,
            email_opt_in: row.email_opt_in != 0,
            sms_opt_in: row.sms_opt_in != 0,
            push_opt_in: row.push_opt_in != 0,
            phone_verified: row.phone_verified != 0,
            version: row.version,
        })
        .collect())
}

/// Up to `limit` external ids, in index order (for benchmarks and tests).
pub async fn external_ids(db: &Db, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT external_id FROM customers WHERE external_id IS NOT NULL \
         ORDER BY external_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

/// Whether customer `id` exists.
pub async fn exists(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(found.is_some())
}

/// How many customers there are.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(db.pool())
        .await
}

/// Inserts customers (projections included) in multi-row statements inside `tx`, with their
/// email, phone, card and external id as primary identifiers added by `source` (an external
/// id held folded when the organisation ignores its case, `ignore_case`, and kept as entered on
/// the profile). An identifier another customer holds fails with a unique violation.
pub async fn insert_many(
    tx: &mut Transaction<'_, Any>,
    customers: &[NewCustomer],
    source: &str,
    ignore_case: bool,
) -> Result<(), sqlx::Error> {
    const COLUMNS: usize = 28;
    for chunk in customers.chunks(INSERT_BATCH) {
        let sql = format!(
            "INSERT INTO customers (id, first_name, last_name, first_name_key, last_name_key, \
             email, phone, card_number, external_id, date_of_birth, address_line, city, \
             postal_code, country, status_id, is_test, email_opt_in, sms_opt_in, push_opt_in, \
             phone_verified, home_store_id, points_balance, tier, tier_since, purchase_count, \
             last_active_at, created_at, updated_at) VALUES {}",
            values_placeholders(Backend::of(tx), chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for c in chunk {
            let contact = &c.contact;
            let first_key = contact.first_name.as_deref().map(super::model::search_key);
            let last_key = contact.last_name.as_deref().map(super::model::search_key);
            query = query
                .bind(c.id.clone())
                .bind(contact.first_name.clone())
                .bind(contact.last_name.clone())
                .bind(first_key.unwrap_or_default())
                .bind(last_key.unwrap_or_default())
                .bind(contact.email.clone())
                .bind(contact.phone.clone())
                .bind(contact.card_number.clone())
                .bind(contact.external_id.clone())
                .bind(contact.date_of_birth.clone())
                .bind(contact.address_line.clone())
                .bind(contact.city.clone())
                .bind(contact.postal_code.clone())
                .bind(contact.country.clone())
                .bind(c.status_id.clone())
                .bind(i64::from(c.is_test))
                .bind(i64::from(c.email_opt_in))
                .bind(i64::from(c.sms_opt_in))
                .bind(i64::from(c.push_opt_in))
                .bind(i64::from(c.phone_verified))
                .bind(c.home_store_id.clone())
                .bind(c.points_balance)
                .bind(c.tier.clone())
                .bind(c.tier_since)
                .bind(c.purchase_count)
                .bind(c.last_active_at)
                .bind(c.created_at)
                .bind(c.created_at);
        }
        query.execute(&mut **tx).await?;
    }
    let keys: Vec<_> = customers
        .iter()
        .map(|c| c.contact.primary_keys(ignore_case))
        .collect();
    let identifiers: Vec<NewIdentifier> = customers
        .iter()
        .zip(&keys)
        .flat_map(|(c, keys)| {
            let values = c.contact.primary_identifiers();
            keys.iter()
                .zip(values)
                .filter_map(move |((kind, key), (_, value))| {
                    Some(NewIdentifier {
                        customer_id: &c.id,
                        kind,
                        normalized: key.as_deref()?,
                        value: value.as_deref()?,
                        is_primary: true,
                        source,
                        added_at: c.created_at,
                    })
                })
        })
        .collect();
    crate::identity::db::insert(tx, &identifiers).await
}

/// Writes an edited profile if the row is still at `version`; `false` when someone else
/// changed it first (or it is gone). Bumps the version.
pub async fn update_profile(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    version: i64,
    valid: &super::new_customer::ValidCustomer,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let contact = &valid.contact;
    let key = |name: &Option<String>| name.as_deref().map(super::search_key).unwrap_or_default();
    let done = sqlx::query(
        "UPDATE customers SET first_name = $1, last_name = $2, first_name_key = $3, \
         last_name_key = $4, email = $5, phone = $6, card_number = $7, external_id = $8, \
         date_of_birth = $9, address_line = $10, city = $11, postal_code = $12, country = $13, \
         email_opt_in = $14, sms_opt_in = $15, push_opt_in = $16, \
         phone_verified = CASE WHEN phone IS NOT DISTINCT FROM $6 THEN phone_verified ELSE 0 END, \
         updated_at = $17, version = version + 1 WHERE id = $18 AND version = $19",
    )
    .bind(&contact.first_name)
    .bind(&contact.last_name)
    .bind(key(&contact.first_name))
    .bind(key(&contact.last_name))
    .bind(&contact.email)
    .bind(&contact.phone)
    .bind(&contact.card_number)
    .bind(&contact.external_id)
    .bind(&contact.date_of_birth)
    .bind(&contact.address_line)
    .bind(&contact.city)
    .bind(&contact.postal_code)
    .bind(&contact.country)
    .bind(i64::from(valid.opt_ins.0))
    .bind(i64::from(valid.opt_ins.1))
    .bind(i64::from(valid.opt_ins.2))
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
