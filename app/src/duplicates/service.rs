//! Finding likely duplicates: for one customer (on the profile, after adding a customer or an
//! identifier) and across the organisation, page by page (for supervisors).

use super::db;
use super::model::{DuplicateGroup, DuplicatePage, Reason, Suggestion};
use crate::auth::{CurrentUser, Permission};
use crate::error::AppError;
use crate::identity::{mask_email, mask_phone};
use crate::state::AppState;
use crate::store::Db;
use std::collections::BTreeMap;

/// Groups per page of the duplicates list.
pub const PAGE_SIZE: i64 = 25;

/// `value` of `reason` as `user` may see it.
fn shown(user: &CurrentUser, reason: Reason, value: &str) -> String {
    if user.can(Permission::CustomersViewPii) {
        return value.to_string();
    }
    match reason {
        Reason::Email => mask_email(value),
        Reason::Phone => mask_phone(value),
        Reason::NameAndBirth => "date of birth hidden".into(),
        Reason::NameAndPostcode => "postcode hidden".into(),
        Reason::HiddenDetails => String::new(),
    }
}

/// Each of `ids` that exists: its name ("Unnamed customer" without one) and whether it is a
/// test persona.
pub async fn named(db: &Db, ids: &[String]) -> Result<BTreeMap<String, (String, bool)>, AppError> {
    Ok(db::names(db, ids)
        .await?
        .into_iter()
        .map(|(id, first, last, is_test)| (id, (name_or_unnamed(first, last), is_test != 0)))
        .collect())
}

/// A customer's full name, or "Unnamed customer" without one.
fn name_or_unnamed(first: Option<String>, last: Option<String>) -> String {
    crate::customers::full_name(first.as_deref(), last.as_deref())
        .unwrap_or_else(|| "Unnamed customer".into())
}

/// The other customers who may be the same person as customer `id`, each with why. Without
/// customers.view_pii the reasons are one that names no field, and each call counts against
/// the user's search allowance: a hint answers whether a guessed detail is someone's.
pub async fn suggestions(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<Vec<Suggestion>, AppError> {
    let sees_pii = user.can(Permission::CustomersViewPii);
    if !sees_pii {
        state.search_limiter.check(&user.id)?;
    }
    let rows = db::candidates(&state.db, &id).await?;
    if !rows.iter().any(|(why, ..)| why == "self") {
        return Err(AppError::no_customer(&id));
    }
    let mut found: BTreeMap<String, Suggestion> = BTreeMap::new();
    for (why, other, value, first, last, is_test) in rows {
        let Some(reason) = Reason::parse(&why) else {
            continue; // the customer's own row
        };
        let shown_reason = if sees_pii {
            (reason, value)
        } else {
            (Reason::HiddenDetails, String::new())
        };
        found
            .entry(other.clone())
            .or_insert_with(|| Suggestion {
                customer_id: other,
                name: name_or_unnamed(first, last),
                reasons: Vec::new(),
                is_test: is_test != 0,
            })
            .reasons
            .push(shown_reason);
    }
    let mut found: Vec<Suggestion> = found
        .into_values()
        .map(|mut suggestion| {
            suggestion.reasons.sort();
            suggestion.reasons.dedup();
            suggestion
        })
        .collect();
    found.sort_by(|a, b| {
        b.reasons
            .len()
            .cmp(&a.reasons.len())
            .then(a.name.cmp(&b.name))
    });
    Ok(found)
}

/// One page of the organisation's likely duplicates sharing `reason`, after `cursor`.
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    reason: String,
    cursor: Option<String>,
) -> Result<DuplicatePage, AppError> {
    let reason = Reason::parse(&reason).ok_or_else(|| {
        AppError::validation(
            "reason",
            "Choose email, phone, name and date of birth, or name and postcode.",
        )
    })?;
    let db = &state.db;
    let cursor = cursor.unwrap_or_default();
    let mut groups: Vec<(String, DuplicateGroup)> = Vec::new();
    let mut ids = Vec::new();
    let mut add = |key: String, shared: String, id: String| {
        if groups.last().is_none_or(|(k, _)| *k != key) {
            groups.push((
                key.clone(),
                DuplicateGroup {
                    reason,
                    shared,
                    customers: Vec::new(),
                },
            ));
        }
        ids.push(id.clone());
        if let Some((_, group)) = groups.last_mut() {
            group.customers.push((id, String::new()));
        }
    };
    match reason {
        Reason::Email | Reason::Phone => {
            let kind = reason.as_str();
            for (key, id, normalized) in db::shared_match_keys(db, kind, &cursor, PAGE_SIZE).await?
            {
                add(key, shown(user, reason, &normalized), id);
            }
        }
        Reason::NameAndBirth | Reason::NameAndPostcode | Reason::HiddenDetails => {
            let detail = match reason {
                Reason::NameAndPostcode => db::NameAnd::Postcode,
                _ => db::NameAnd::Birth,
            };
            let after: db::NameKey = serde_json::from_str(&cursor).unwrap_or_default();
            for (last, first, value, id) in
                db::shared_name_and(db, detail, &after, PAGE_SIZE).await?
            {
                let key = serde_json::to_string(&(&last, &first, &value)).unwrap_or_default();
                add(key, shown(user, reason, &value), id);
            }
        }
    }
    let names = named(db, &ids).await?;
    let full = groups.len() as i64 == PAGE_SIZE;
    let next = groups.last().filter(|_| full).map(|(key, _)| key.clone());
    Ok(DuplicatePage {
        groups: groups
            .into_iter()
            .map(|(_, mut group)| {
                for (id, name) in &mut group.customers {
                    *name = names.get(id).map(|(n, _)| n.clone()).unwrap_or_default();
                }
                group
            })
            .collect(),
        next,
    })
}
