//! SQL for the tag-count projection as the Tags sub-tab reads and changes it.

use super::model::CustomerTag;
use crate::store::{values_placeholders, Backend, Db};
use sqlx::{Any, FromRow, Transaction};

#[derive(FromRow)]
struct TagRow {
    tag: String,
    count: i64,
    first_at: i64,
    last_at: i64,
}

/// Customer `id`'s tags, most recently applied first.
pub async fn of_customer(db: &Db, id: &str) -> Result<Vec<CustomerTag>, sqlx::Error> {
    let rows: Vec<TagRow> = sqlx::query_as(
        "SELECT tag, count, first_at, last_at FROM customer_tags WHERE customer_id = $1 \
         ORDER BY last_at DESC, tag",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CustomerTag {
            tag: r.tag,
            count: r.count,
            first_at: r.first_at,
            last_at: r.last_at,
        })
        .collect())
}

/// Up to 200 tags in use anywhere, alphabetical.
pub async fn known(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT DISTINCT tag FROM customer_tags ORDER BY tag LIMIT 200")
        .fetch_all(db.pool())
        .await
}

/// Sets the count of `tag` on customer `id` to zero; its count before, or `None` when the
/// customer does not have the tag.
pub async fn reset_count(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    tag: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let before: Option<i64> =
        sqlx::query_scalar("SELECT count FROM customer_tags WHERE customer_id = $1 AND tag = $2")
            .bind(id)
            .bind(tag)
            .fetch_optional(&mut **tx)
            .await?;
    if before.is_some() {
        sqlx::query("UPDATE customer_tags SET count = 0 WHERE customer_id = $1 AND tag = $2")
            .bind(id)
            .bind(tag)
            .execute(&mut **tx)
            .await?;
    }
    Ok(before)
}

/// Adds `counts` (at most one per customer and tag) to the tag-count projection.
pub async fn add_counts(
    tx: &mut Transaction<'_, Any>,
    counts: &[super::counts::TagCount],
) -> Result<(), sqlx::Error> {
    let backend = Backend::of(tx);
    for chunk in counts.chunks(500) {
        let sql = format!(
            "INSERT INTO customer_tags (customer_id, tag, count, first_at, last_at) VALUES {} \
             ON CONFLICT (customer_id, tag) DO UPDATE SET \
             count = customer_tags.count + excluded.count, \
             first_at = CASE WHEN excluded.first_at < customer_tags.first_at \
                        THEN excluded.first_at ELSE customer_tags.first_at END, \
             last_at = CASE WHEN excluded.last_at > customer_tags.last_at \
                       THEN excluded.last_at ELSE customer_tags.last_at END",
            values_placeholders(backend, chunk.len(), 5)
        );
        let mut query = sqlx::query(&sql);
        for c in chunk {
            query = query
                .bind(&c.customer_id)
                .bind(&c.tag)
                .bind(c.count)
                .bind(c.first_at)
                .bind(c.last_at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
