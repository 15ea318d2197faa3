//! SQL for exact-match search.

use super::model::{Identifier, IdentifierKind};
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
