//! The searches themselves, shared by the server functions and the search benchmark.

use super::advanced::{AdvancedQuery, SearchResults};
use super::model::SearchOutcome;
use crate::auth::{CurrentUser, Permission};
use crate::error::AppError;
use crate::identity::identifier_candidates;
use crate::settings::SearchMode;
use crate::state::AppState;
use crate::store::Db;

/// Finds the one customer holding exactly the identifier `q`.
pub async fn exact(db: &Db, q: &str) -> Result<SearchOutcome, AppError> {
    let calling_code = crate::settings::db::calling_code(db).await?;
    let ignore_case = crate::settings::db::external_ids_ignore_case(db).await?;
    let mut candidates = identifier_candidates(q, &calling_code)?;
    for candidate in &mut candidates {
        if candidate.kind == crate::identity::IdentifierKind::ExternalId {
            candidate.value = crate::identity::fold_external_id(&candidate.value, ignore_case);
        }
    }
    match super::db::find_by_identifier(db, &candidates).await? {
        Some(id) => Ok(SearchOutcome::Found(id)),
        None => {
            let noun = candidates
                .first()
                .map(|c| c.kind.noun())
                .unwrap_or("identifier");
            Ok(SearchOutcome::NoMatch(format!(
                "No customer with that {noun} ({}).",
                q.trim()
            )))
        }
    }
}

/// An agent's advanced search: counted against their search allowance, refused while the
/// organisation allows exact match only, masked fields refused without customers.view_pii.
pub async fn advanced_for(
    state: &AppState,
    user: &CurrentUser,
    query: &AdvancedQuery,
) -> Result<SearchResults, AppError> {
    state.search_limiter.check(&user.id)?;
    if crate::settings::db::search_mode(&state.db).await? != SearchMode::Advanced {
        return Err(AppError::Conflict(
            "Advanced search is turned off for this organisation: search by phone, card, \
             email or id."
                .into(),
        ));
    }
    advanced(&state.db, query, user.can(Permission::CustomersViewPii)).await
}

/// One page of an advanced search; without `show_pii` no filter or sort may touch the
/// fields that user sees masked.
pub async fn advanced(
    db: &Db,
    query: &AdvancedQuery,
    show_pii: bool,
) -> Result<SearchResults, AppError> {
    query.refuse_masked_fields(show_pii)?;
    let calling_code = crate::settings::db::calling_code(db).await?;
    let mut normal = query.normalise(&calling_code)?;
    if let Some((name, value)) = &mut normal.attribute {
        let declared = crate::attributes::db::types(db).await?;
        *value = crate::attributes::checked_input(&declared, name, value, "attribute", "value")?
            .unwrap_or_default();
    }
    Ok(super::db::advanced(db, &normal, show_pii).await?)
}
