//! The use cases behind the server functions of this feature.

use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::events::NewEvent;
use crate::state::AppState;
use crate::status::db;
use crate::time::now_millis;
use serde_json::json;

/// Changes a customer's status with a reason, audited and published.
pub async fn change(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    status_id: String,
) -> Result<(), AppError> {
    let mut change = Change::begin(state, agent).await?;
    let before = db::current(change.tx(), &customer_id)
        .await?
        .ok_or_else(|| AppError::no_customer(&customer_id))?;
    let Some(new_name) = db::name_of(change.tx(), &status_id).await? else {
        return Err(AppError::validation(
            "status_id",
            "Choose one of the statuses your organisation has configured.",
        ));
    };
    if before == status_id {
        return Ok(());
    }
    let old_name = db::name_of(change.tx(), &before)
        .await?
        .unwrap_or(before.clone());
    let now = now_millis();
    db::set(change.tx(), &customer_id, &status_id, now).await?;
    let event = NewEvent::console(
        &customer_id,
        "status_changed",
        now,
        json!({"from": old_name, "to": new_name, "agent": agent.display_name}),
    );
    change.events(std::slice::from_ref(&event)).await?;
    change
        .audit("status.change", |r| {
            r.customer(&customer_id)
                .change(json!({"status": before}), json!({"status": status_id}))
        })
        .await?;
    change.commit().await?;
    Ok(())
}
