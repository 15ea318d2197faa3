//! The searches themselves, shared by the server functions and the search benchmark.

use super::advanced::{AdvancedQuery, SearchResults};
use super::model::SearchOutcome;
use crate::auth::{CurrentUser, Permission};
use crate::error::AppError;
use crate::identity::{email_key, identifier_candidates, phone_e164, Identifier, IdentifierKind};
use crate::settings::SearchMode;
use crate::state::AppState;
use crate::store::Db;

/// Finds the one customer holding exactly the identifier `q`.
pub async fn exact(db: &Db, q: &str) -> Result<SearchOutcome, AppError> {
    let region = crate::settings::service::phone_region(db).await?;
    let ignore_case = crate::settings::db::external_ids_ignore_case(db).await?;
    let mut candidates = identifier_candidates(q, &region)?;
    for candidate in &mut candidates {
        if candidate.kind == crate::identity::IdentifierKind::ExternalId {
            candidate.value = crate::identity::fold_external_id(&candidate.value, ignore_case);
        }
    }
    match super::db::find_by_identifier(db, &candidates).await? {
        Some(id) => {
            let others = also_holding(db, &candidates, &id, &region).await?;
            if others.is_empty() {
                return Ok(SearchOutcome::Found(id));
            }
            shared(db, id, others).await
        }
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

/// Other customers holding one of the phone or email `candidates` in a spelling stored
/// before today's rules read it as the same (the identifier re-read kept both and gave them
/// one match key): their ids, `found` left out.
async fn also_holding(
    db: &Db,
    candidates: &[Identifier],
    found: &str,
    region: &str,
) -> Result<Vec<String>, AppError> {
    let mut others: Vec<String> = Vec::new();
    for candidate in candidates {
        let kind = candidate.kind.name();
        let Some(key) = crate::identity::match_key(kind, &candidate.value) else {
            continue;
        };
        for (customer, stored) in
            crate::duplicates::db::same_match_key(db, kind, &key, found).await?
        {
            let today = match candidate.kind {
                IdentifierKind::Phone => phone_e164(&stored, region),
                _ => email_key(&stored),
            };
            if today.as_deref() == Some(candidate.value.as_str()) && !others.contains(&customer) {
                others.push(customer);
            }
        }
    }
    Ok(others)
}

/// The outcome naming `found` and `others`, who all hold the identifier searched for.
async fn shared(db: &Db, found: String, others: Vec<String>) -> Result<SearchOutcome, AppError> {
    let ids: Vec<String> = std::iter::once(found).chain(others).collect();
    let mut names = crate::duplicates::service::named(db, &ids).await?;
    let customers: Vec<(String, String)> = ids
        .into_iter()
        .map(|id| {
            let name = names.remove(&id).map(|(name, _)| name);
            (id, name.unwrap_or_else(|| "Unnamed customer".into()))
        })
        .collect();
    let note = format!(
        "{} customers hold this identifier: it was stored in different spellings before they \
         were read as one. They are likely the same person; a supervisor can merge them under \
         Duplicates.",
        customers.len()
    );
    Ok(SearchOutcome::Shared { customers, note })
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
    let region = crate::settings::service::phone_region(db).await?;
    let mut normal = query.normalise(&region)?;
    if let Some((name, value)) = &mut normal.attribute {
        let declared = crate::attributes::db::declared(db).await?;
        *value = crate::attributes::checked_input(&declared, name, value, "attribute", "value")?
            .unwrap_or_default();
    }
    Ok(super::db::advanced(db, &normal, show_pii).await?)
}
