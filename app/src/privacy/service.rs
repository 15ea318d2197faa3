//! The use cases behind the server functions of this feature.

use super::model::PrivacyOverview;
use crate::auth::CurrentUser;
use crate::auth::Permission;
use crate::change::Change;
use crate::error::AppError;
use crate::privacy::db::{self, NewRequest};
use crate::privacy::model::FORGET_CONFIRMATION;
use crate::state::AppState;
use crate::store::customer_tables::{anonymised_on_forget, deleted_on_forget};
use crate::time::{format_count, now_millis};
use serde_json::json;

/// A customer's privacy state (restriction, requests) for the Data privacy tab.
pub async fn overview(
    state: &AppState,
    user: &CurrentUser,
    customer_id: String,
) -> Result<PrivacyOverview, AppError> {
    if !user.can(Permission::PrivacyRequest) && !user.can(Permission::PrivacyViewLog) {
        return Err(AppError::Forbidden(
            Permission::PrivacyRequest.as_str().into(),
        ));
    }
    db::overview(&state.db, &customer_id)
        .await?
        .ok_or_else(|| AppError::no_customer(&customer_id))
}

fn checked_reason(reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::validation(
            "reason",
            "Say why, in up to 500 characters (e.g. the customer's request reference).",
        ));
    }
    Ok(reason.to_string())
}

/// Restricts or reinstates processing of a customer's data for a reason, audited and published.
pub async fn set_restricted(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    reason: String,
    restrict: bool,
) -> Result<(), AppError> {
    let reason = checked_reason(&reason)?;
    let now = now_millis();
    let mut change = Change::begin(state, agent).await?;
    if !db::set_restriction(change.tx(), &customer_id, restrict.then_some(now)).await? {
        return Err(AppError::Conflict(if restrict {
            "This customer is already restricted (or no longer exists).".into()
        } else {
            "This customer is not restricted (or no longer exists).".into()
        }));
    }
    let kind = if restrict { "restrict" } else { "reinstate" };
    let request_id = uuid::Uuid::now_v7().to_string();
    db::record(
        &mut **change.tx(),
        &NewRequest {
            id: &request_id,
            customer_id: Some(&customer_id),
            request_type: kind,
            reason: Some(&reason),
            detail: None,
            executed_by: (&agent.id, &agent.email),
            at: now,
        },
    )
    .await?;
    let action = if restrict {
        "privacy.restrict"
    } else {
        "privacy.reinstate"
    };
    change
        .audit(action, |r| {
            r.customer(&customer_id).subject(&request_id).change(
                json!({"restricted": !restrict}),
                json!({"restricted": restrict}),
            )
        })
        .await?;
    change.commit().await?;
    Ok(())
}

/// Removes customer `id` and everything held about them (and about the customers merged into
/// them: their data is this person's), as `store::customer_tables` says for each table; the
/// kept logs are anonymised. `(what, how many)` for the confirmation.
async fn erase(change: &mut Change<'_>, id: &str) -> Result<Vec<(&'static str, u64)>, AppError> {
    change.customer_changed(id);
    let tx = change.tx();
    crate::identity::db::remove_owners(tx, id).await?;
    let absorbed = crate::merge::service::absorbed_into(tx, id).await?;
    let mut merges = crate::merge::db::forget(tx, id).await?;
    for other in &absorbed {
        merges += crate::merge::db::forget(tx, other).await?;
        for table in anonymised_on_forget() {
            db::anonymise(tx, table, other).await?;
        }
    }
    let mut removed = Vec::new();
    for table in deleted_on_forget() {
        removed.push((table, db::delete_rows(tx, table, id).await?));
    }
    crate::import::db::staged::forget_customer(tx, id).await?;
    for table in anonymised_on_forget() {
        let count = db::anonymise(tx, table, id).await?;
        if table == "audit_log" {
            removed.push(("audit records anonymised", count));
        }
    }
    if merges > 0 {
        removed.push(("merge records", merges));
    }
    removed.insert(
        0,
        ("customers", db::delete_rows(tx, "customers", id).await?),
    );
    Ok(removed)
}

/// Erases a customer (GDPR art. 17) once the typed confirmation matches, keeping the request log.
pub async fn forget(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    confirmation: String,
) -> Result<String, AppError> {
    if confirmation.trim() != FORGET_CONFIRMATION {
        return Err(AppError::validation(
            "confirmation",
            format!("Type {FORGET_CONFIRMATION} to confirm."),
        ));
    }
    let mut change = Change::begin(state, agent).await?;
    state.db.zero_freed_pages(change.tx(), true).await?;
    if !db::customer_exists(change.tx(), &customer_id).await? {
        return Err(AppError::NotFound(
            "No such customer: already forgotten?".into(),
        ));
    }
    let removed = erase(&mut change, &customer_id).await?;
    let summary = removed
        .iter()
        .map(|(what, n)| {
            format!(
                "{what}: {}",
                format_count(i64::try_from(*n).unwrap_or(i64::MAX))
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let request_id = uuid::Uuid::now_v7().to_string();
    db::record(
        &mut **change.tx(),
        &NewRequest {
            id: &request_id,
            customer_id: None,
            request_type: "forget",
            reason: None,
            detail: Some(&summary),
            executed_by: (&agent.id, &agent.email),
            at: now_millis(),
        },
    )
    .await?;
    change
        .audit("privacy.forget", |r| r.subject(&request_id))
        .await?;
    state.db.zero_freed_pages(change.tx(), false).await?;
    // Uploaded import files waiting for an import or a resume may name the customer.
    let uploads = state.clone();
    change.after_commit(async move {
        match crate::import::uploads::sweep(&uploads, now_millis(), true).await {
            Ok(deleted) => tracing::info!(deleted, "forget: kept import uploads deleted"),
            Err(error) => tracing::error!(%error, "forget: kept import uploads not deleted"),
        }
    });
    change.commit().await?;
    if !state.db.erase_deleted_from_disk().await? {
        tracing::warn!(
            request = %request_id,
            "forget: the write-ahead log is still in use; the next checkpoint clears it"
        );
    }
    Ok(summary)
}
