//! Server function for changing a customer's status flag.

use crate::error::AppError;
use leptos::prelude::*;

/// Sets the status of `customer_id` to the configured status `status_id`; writes a
/// `status_changed` event and an audit record in the same transaction.
#[server(endpoint = "change_status")]
pub async fn change_status(customer_id: String, status_id: String) -> Result<(), AppError> {
    crate::error::respond(server::change(customer_id, status_id).await)
}

#[cfg(feature = "ssr")]
mod server {
    use crate::activity::NewEvent;
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use crate::status::db;
    use crate::time::now_millis;
    use serde_json::json;

    pub async fn change(customer_id: String, status_id: String) -> Result<(), AppError> {
        let agent = require(Permission::StatusChange)?;
        let state = crate::state::app_state()?;
        let mut tx = state.db.begin_write().await?;
        let before = db::current(&mut tx, &customer_id).await?.ok_or_else(|| {
            AppError::NotFound(format!("There is no customer with id {customer_id}."))
        })?;
        let Some(new_name) = db::name_of(&mut tx, &status_id).await? else {
            return Err(AppError::validation(
                "status_id",
                "Choose one of the statuses your organisation has configured.",
            ));
        };
        if before == status_id {
            return Ok(());
        }
        let old_name = db::name_of(&mut tx, &before)
            .await?
            .unwrap_or(before.clone());
        let now = now_millis();
        db::set(&mut tx, &customer_id, &status_id, now).await?;
        let event = NewEvent::console(
            &customer_id,
            "status_changed",
            now,
            json!({"from": old_name, "to": new_name, "agent": agent.display_name}),
        );
        crate::activity::db::insert_many(&mut tx, std::slice::from_ref(&event)).await?;
        Record::by(&agent, "status.change")
            .customer(&customer_id)
            .change(json!({"status": before}), json!({"status": status_id}))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        state.live.publish(&customer_id);
        Ok(())
    }
}
