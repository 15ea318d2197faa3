//! Server functions of the Data Privacy tab and the global log. Acting needs
//! privacy.request; reading the history needs privacy.request or privacy.view_log.

use super::model::{LogFilter, LogPage, PrivacyOverview};
use crate::error::AppError;
use leptos::prelude::*;

/// The privacy state and request history of customer `customer_id`.
#[server(endpoint = "get_privacy_overview")]
pub async fn get_privacy_overview(customer_id: String) -> Result<PrivacyOverview, AppError> {
    crate::error::respond(server::overview(customer_id).await)
}

/// Restricts processing of the customer's data (GDPR art. 18), for `reason`.
#[server(endpoint = "restrict_processing")]
pub async fn restrict_processing(customer_id: String, reason: String) -> Result<(), AppError> {
    crate::error::respond(server::set_restricted(customer_id, reason, true).await)
}

/// Lifts the restriction, for `reason`.
#[server(endpoint = "reinstate_processing")]
pub async fn reinstate_processing(customer_id: String, reason: String) -> Result<(), AppError> {
    crate::error::respond(server::set_restricted(customer_id, reason, false).await)
}

/// Removes the customer and all their data (GDPR art. 17) once `confirmation` is `FORGET`;
/// returns what was removed, e.g. `1 customer, 1,234 events, …`.
#[server(endpoint = "forget_customer")]
pub async fn forget_customer(
    customer_id: String,
    confirmation: String,
) -> Result<String, AppError> {
    crate::error::respond(server::forget(customer_id, confirmation).await)
}

/// One page of every data-privacy request, filtered.
#[server(endpoint = "list_privacy_requests")]
pub async fn list_privacy_requests(filter: Option<LogFilter>) -> Result<LogPage, AppError> {
    crate::error::respond(
        async {
            crate::auth::guard::require(crate::auth::Permission::PrivacyViewLog)?;
            let state = crate::state::app_state()?;
            let zone = state.time_zone.get();
            Ok(super::db::log(&state.db, &filter.unwrap_or_default(), &zone).await?)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod server {
    use super::PrivacyOverview;
    use crate::audit::db::Record;
    use crate::auth::guard::{require, signed_in};
    use crate::auth::Permission;
    use crate::error::AppError;
    use crate::privacy::db::{self, NewRequest};
    use crate::privacy::model::FORGET_CONFIRMATION;
    use crate::time::{format_count, now_millis};
    use serde_json::json;

    pub async fn overview(customer_id: String) -> Result<PrivacyOverview, AppError> {
        let user = signed_in()?;
        if !user.can(Permission::PrivacyRequest) && !user.can(Permission::PrivacyViewLog) {
            return Err(AppError::Forbidden(
                Permission::PrivacyRequest.as_str().into(),
            ));
        }
        let state = crate::state::app_state()?;
        db::overview(&state.db, &customer_id)
            .await?
            .ok_or_else(|| AppError::NotFound("No such customer.".into()))
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

    pub async fn set_restricted(
        customer_id: String,
        reason: String,
        restrict: bool,
    ) -> Result<(), AppError> {
        let agent = require(Permission::PrivacyRequest)?;
        let reason = checked_reason(&reason)?;
        let state = crate::state::app_state()?;
        let now = now_millis();
        let mut tx = state.db.begin_write().await?;
        if !db::set_restriction(&mut tx, &customer_id, restrict.then_some(now)).await? {
            return Err(AppError::Conflict(if restrict {
                "This customer is already restricted (or no longer exists).".into()
            } else {
                "This customer is not restricted (or no longer exists).".into()
            }));
        }
        let kind = if restrict { "restrict" } else { "reinstate" };
        let request_id = uuid::Uuid::now_v7().to_string();
        db::record(
            &mut *tx,
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
        Record::by(&agent, action)
            .customer(&customer_id)
            .subject(&request_id)
            .change(
                json!({"restricted": !restrict}),
                json!({"restricted": restrict}),
            )
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        state.live.publish(&customer_id);
        Ok(())
    }

    pub async fn forget(customer_id: String, confirmation: String) -> Result<String, AppError> {
        let agent = require(Permission::PrivacyRequest)?;
        if confirmation.trim() != FORGET_CONFIRMATION {
            return Err(AppError::validation(
                "confirmation",
                format!("Type {FORGET_CONFIRMATION} to confirm."),
            ));
        }
        let state = crate::state::app_state()?;
        let mut tx = state.db.begin_write().await?;
        state.db.zero_freed_pages(&mut tx, true).await?;
        let removed = db::forget(&mut tx, &customer_id).await?;
        if removed.is_empty() {
            return Err(AppError::NotFound(
                "No such customer: already forgotten?".into(),
            ));
        }
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
            &mut *tx,
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
        Record::by(&agent, "privacy.forget")
            .subject(&request_id)
            .write(&mut *tx)
            .await?;
        state.db.zero_freed_pages(&mut tx, false).await?;
        tx.commit().await?;
        if !state.db.erase_deleted_from_disk().await? {
            tracing::warn!(
                request = %request_id,
                "forget: the write-ahead log is still in use; the next checkpoint clears it"
            );
        }
        Ok(summary)
    }
}
