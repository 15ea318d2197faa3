//! The use cases of a customer's identifier list: list (masked without customers.view_pii),
//! add, remove and make primary, each audited, published and checked on the server.

use super::db;
use super::model::{mask_email, mask_phone, CaseClash, HeldIdentifier, IdentifierKind};
use crate::auth::{CurrentUser, Permission};
use crate::change::Change;
use crate::error::AppError;
use crate::events::NewEvent;
use crate::state::AppState;
use crate::time::now_millis;
use serde_json::json;

/// Every identifier of customer `customer_id`, by kind, the primary first.
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    customer_id: String,
) -> Result<Vec<HeldIdentifier>, AppError> {
    if !db::customer_exists(state.db.pool(), &customer_id).await? {
        return Err(AppError::no_customer(&customer_id));
    }
    let show_pii = user.can(Permission::CustomersViewPii);
    let rows = db::list(state.db.pool(), &customer_id).await?;
    let home = super::phone::region(&crate::settings::service::phone_region(&state.db).await?);
    Ok(rows
        .into_iter()
        .filter_map(|(kind, normalized, typed, is_primary, added_at, source)| {
            let kind = IdentifierKind::held(&kind)?;
            let shown = match kind {
                IdentifierKind::Phone if show_pii => {
                    super::phone::for_display(&normalized, Some(&typed), home)
                }
                // As entered: folding its case is for matching only.
                IdentifierKind::ExternalId => typed.trim().to_string(),
                _ if show_pii => normalized.clone(),
                IdentifierKind::Email => mask_email(&normalized),
                IdentifierKind::Phone => mask_phone(&normalized),
                _ => normalized.clone(),
            };
            Some(HeldIdentifier {
                kind,
                shown,
                key: show_pii.then_some(normalized),
                is_primary: is_primary != 0,
                added_at,
                source,
            })
        })
        .collect())
}

/// Adds `value` of `kind` to the customer (as primary when asked, or when it is the first of
/// its kind). Another customer holding it is refused beside the value without naming them.
pub async fn add(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    kind: String,
    value: String,
    make_primary: bool,
) -> Result<(), AppError> {
    require_pii(agent)?;
    let kind = checked_kind(&kind)?;
    let region = crate::settings::service::phone_region(&state.db).await?;
    let normalized = kind
        .normalise(&value, &region)
        .map_err(|message| AppError::validation("value", message))?
        .ok_or_else(|| AppError::validation("value", format!("Enter the {}.", kind.noun())))?;
    let normalized = if kind == IdentifierKind::ExternalId {
        let ignore_case = crate::settings::db::external_ids_ignore_case(&state.db).await?;
        super::model::fold_external_id(&normalized, ignore_case)
    } else {
        normalized
    };
    let taken = || AppError::Taken {
        field: "value".into(),
        message: format!("Another customer already has this {}.", kind.noun()),
    };
    // "Taken" answers whether a value is someone's, as a search does: same allowance.
    state.search_limiter.check(&agent.id)?;
    match db::owner(&state.db, kind.name(), &normalized).await? {
        Some(owner) if owner == customer_id => {
            return Err(AppError::validation(
                "value",
                format!("This customer already has this {}.", kind.noun()),
            ))
        }
        Some(_) => return Err(taken()),
        None => {}
    }
    let now = now_millis();
    let mut change = Change::begin(state, agent).await?;
    db::lock_customer(change.tx(), &customer_id)
        .await?
        .ok_or_else(|| AppError::no_customer(&customer_id))?;
    let held = db::list(&mut **change.tx(), &customer_id).await?;
    let primary = held
        .iter()
        .find(|(k, _, _, p, ..)| k == kind.name() && *p != 0)
        .map(|(_, n, ..)| n.clone());
    let as_primary = make_primary || primary.is_none();
    if as_primary {
        if let Some(old) = &primary {
            db::set_primary_flag(change.tx(), &customer_id, kind.name(), old, false).await?;
        }
    }
    let identifier = db::NewIdentifier {
        customer_id: &customer_id,
        kind: kind.name(),
        normalized: &normalized,
        value: value.trim(),
        is_primary: as_primary,
        source: "console",
        added_at: now,
    };
    db::insert(change.tx(), std::slice::from_ref(&identifier))
        .await
        .map_err(|e| AppError::taken_if_unique(e, "value", &taken().to_string()))?;
    if as_primary {
        db::set_primary_copy(change.tx(), &customer_id, kind, Some(&normalized), now).await?;
    }
    let after = json!({"kind": kind.name(), "value": normalized, "primary": as_primary});
    record(
        &mut change,
        &customer_id,
        kind,
        "identifiers.add",
        json!(null),
        after,
        now,
    )
    .await?;
    change.commit().await
}

/// Removes one of the customer's identifiers; the oldest other one of its kind becomes primary
/// when it was the primary. The only identifier of a customer without a name stays: nobody
/// could find them again.
pub async fn remove(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    kind: String,
    key: String,
) -> Result<(), AppError> {
    require_pii(agent)?;
    let kind = checked_kind(&kind)?;
    let now = now_millis();
    let mut change = Change::begin(state, agent).await?;
    let has_name = db::lock_customer(change.tx(), &customer_id)
        .await?
        .ok_or_else(|| AppError::no_customer(&customer_id))?;
    let held = db::list(&mut **change.tx(), &customer_id).await?;
    let Some((.., is_primary, _, _)) = held
        .iter()
        .find(|(k, n, ..)| k == kind.name() && *n == key)
        .cloned()
    else {
        return Err(not_held(kind));
    };
    if held.len() == 1 && !has_name {
        return Err(AppError::Conflict(
            "This is the only identifier of a customer without a name: add another identifier \
             or a name first, or nobody could find them again."
                .into(),
        ));
    }
    db::remove(change.tx(), &customer_id, kind.name(), &key).await?;
    if is_primary != 0 {
        let next = held
            .iter()
            .find(|(k, n, ..)| k == kind.name() && *n != key)
            .map(|(_, n, ..)| n.clone());
        if let Some(next) = &next {
            db::set_primary_flag(change.tx(), &customer_id, kind.name(), next, true).await?;
        }
        db::set_primary_copy(change.tx(), &customer_id, kind, next.as_deref(), now).await?;
    }
    let before = json!({"kind": kind.name(), "value": key, "primary": is_primary != 0});
    record(
        &mut change,
        &customer_id,
        kind,
        "identifiers.remove",
        before,
        json!(null),
        now,
    )
    .await?;
    change.commit().await
}

/// Makes one of the customer's identifiers the primary one of its kind.
pub async fn make_primary(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    kind: String,
    key: String,
) -> Result<(), AppError> {
    require_pii(agent)?;
    let kind = checked_kind(&kind)?;
    let now = now_millis();
    let mut change = Change::begin(state, agent).await?;
    db::lock_customer(change.tx(), &customer_id)
        .await?
        .ok_or_else(|| AppError::no_customer(&customer_id))?;
    let held = db::list(&mut **change.tx(), &customer_id).await?;
    let of_kind: Vec<_> = held.iter().filter(|(k, ..)| k == kind.name()).collect();
    if !of_kind.iter().any(|(_, n, ..)| *n == key) {
        return Err(not_held(kind));
    }
    let old = of_kind
        .iter()
        .find(|(_, _, _, p, ..)| *p != 0)
        .map(|(_, n, ..)| n.clone());
    if old.as_deref() == Some(key.as_str()) {
        return Ok(());
    }
    if let Some(old) = &old {
        db::set_primary_flag(change.tx(), &customer_id, kind.name(), old, false).await?;
    }
    db::set_primary_flag(change.tx(), &customer_id, kind.name(), &key, true).await?;
    db::set_primary_copy(change.tx(), &customer_id, kind, Some(&key), now).await?;
    let (before, after) = (json!({"primary": old}), json!({"primary": key}));
    record(
        &mut change,
        &customer_id,
        kind,
        "identifiers.make_primary",
        before,
        after,
        now,
    )
    .await?;
    change.commit().await
}

/// The `profile_updated` event (which the open profile shows live) and the audit record.
async fn record(
    change: &mut Change<'_>,
    customer_id: &str,
    kind: IdentifierKind,
    action: &'static str,
    before: serde_json::Value,
    after: serde_json::Value,
    now: i64,
) -> Result<(), AppError> {
    let agent = change.actor().display_name.clone();
    let event = NewEvent::console(
        customer_id,
        "profile_updated",
        now,
        json!({"fields": [kind.name()], "agent": agent}),
    );
    change.event(event).await?;
    change
        .audit(action, |r| {
            r.customer(customer_id)
                .subject(kind.name())
                .change(before, after)
        })
        .await
}

fn require_pii(agent: &CurrentUser) -> Result<(), AppError> {
    if agent.can(Permission::CustomersViewPii) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            Permission::CustomersViewPii.as_str().into(),
        ))
    }
}

fn checked_kind(kind: &str) -> Result<IdentifierKind, AppError> {
    IdentifierKind::held(kind).ok_or_else(|| {
        AppError::validation(
            "kind",
            "Choose an email, phone, loyalty card or external id.",
        )
    })
}

fn not_held(kind: IdentifierKind) -> AppError {
    AppError::NotFound(format!("The customer does not have this {}.", kind.noun()))
}

/// Whether external ids match whatever their case.
pub async fn external_ids_ignore_case(state: &AppState) -> Result<bool, AppError> {
    Ok(crate::settings::db::external_ids_ignore_case(&state.db).await?)
}

/// The external ids that differ only in case (at most five), each with its holders, for the
/// settings screen to link to them.
pub async fn case_clashes(state: &AppState) -> Result<Vec<CaseClash>, AppError> {
    let mut connection = state.db.pool().acquire().await?;
    let clashes = db::external_id_case_clashes(&mut connection).await?;
    drop(connection);
    named_clashes(state, clashes).await
}

/// (folded id, customer, spelling) rows grouped by folded id, with the customers' names.
async fn named_clashes(
    state: &AppState,
    rows: Vec<(String, String, String)>,
) -> Result<Vec<CaseClash>, AppError> {
    let ids: Vec<String> = rows.iter().map(|(_, id, _)| id.clone()).collect();
    let names = crate::duplicates::service::named(&state.db, &ids).await?;
    let name = |id: &String| names.get(id).map(|(n, _)| n.clone()).unwrap_or_default();
    Ok(rows
        .chunk_by(|a, b| a.0 == b.0)
        .map(|holders| CaseClash {
            holders: holders
                .iter()
                .map(|(_, id, spelling)| (id.clone(), name(id), spelling.clone()))
                .collect(),
        })
        .collect())
}

/// Makes external ids match whatever their letters' case (`ignore_case`) or only exactly,
/// storing every one in the new form in one transaction, audited. Turning it on is refused
/// while two identifiers differ only in case (they would become one).
pub async fn set_external_id_case(
    state: &AppState,
    admin: &CurrentUser,
    ignore_case: bool,
) -> Result<bool, AppError> {
    let before = crate::settings::db::external_ids_ignore_case(&state.db).await?;
    if before == ignore_case {
        return Ok(ignore_case);
    }
    let mut change = Change::begin(state, admin).await?;
    if ignore_case {
        let clashes = db::external_id_case_clashes(change.tx()).await?;
        if !clashes.is_empty() {
            drop(change);
            let clashes = named_clashes(state, clashes).await?;
            let each: Vec<String> = clashes.iter().map(CaseClash::describe).collect();
            return Err(AppError::Conflict(format!(
                "Some external ids differ only in case and would become one: {}. Merge those \
                 customers or change their ids first.",
                each.join("; ")
            )));
        }
    }
    let rewritten = db::refold_external_ids(change.tx(), ignore_case).await?;
    let value = if ignore_case { "ignore" } else { "exact" };
    crate::settings::db::set_setting(
        &mut **change.tx(),
        crate::settings::db::EXTERNAL_ID_CASE,
        value,
    )
    .await?;
    change
        .audit("settings.external_id_case", |r| {
            r.subject(crate::settings::db::EXTERNAL_ID_CASE).change(
                json!({"ignore_case": before}),
                json!({"ignore_case": ignore_case, "external_ids_rewritten": rewritten}),
            )
        })
        .await?;
    change.commit().await?;
    Ok(ignore_case)
}
