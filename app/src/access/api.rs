//! Server functions of the access tools (permission access_tools.use).

use crate::error::AppError;
use leptos::prelude::*;

/// Clears the customer's verified-phone state so the app asks them to verify again;
/// returns what to tell the agent.
#[server(endpoint = "reset_sms_verification")]
pub async fn reset_sms_verification(customer_id: String) -> Result<String, AppError> {
    crate::error::respond(server::reset_sms(customer_id).await)
}

/// Emails the customer a link to the brand's password-reset page; returns what to tell the
/// agent.
#[server(endpoint = "send_password_reset")]
pub async fn send_password_reset(customer_id: String) -> Result<String, AppError> {
    crate::error::respond(server::password_reset(customer_id).await)
}

#[cfg(feature = "ssr")]
mod server {
    use crate::access::db;
    use crate::activity::NewEvent;
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::customers::mask_email;
    use crate::error::AppError;
    use crate::time::now_millis;
    use serde_json::json;

    fn no_customer(id: &str) -> AppError {
        AppError::NotFound(format!("There is no customer with id {id}."))
    }

    pub async fn reset_sms(customer_id: String) -> Result<String, AppError> {
        let agent = require(Permission::AccessToolsUse)?;
        let state = crate::state::app_state()?;
        crate::privacy::db::refuse_if_restricted(&state.db, &customer_id, "no messages").await?;
        let mut tx = state.db.begin_write().await?;
        let (_, _, verified) = db::contact(&mut tx, &customer_id)
            .await?
            .ok_or_else(|| no_customer(&customer_id))?;
        let now = now_millis();
        db::clear_phone_verification(&mut tx, &customer_id, now).await?;
        let event = NewEvent::console(
            &customer_id,
            "sms_verification_reset",
            now,
            json!({"agent": agent.display_name, "was_verified": verified != 0}),
        );
        crate::activity::db::insert_many(&mut tx, std::slice::from_ref(&event)).await?;
        Record::by(&agent, "access.reset_sms_verification")
            .customer(&customer_id)
            .change(
                json!({"phone_verified": verified != 0}),
                json!({"phone_verified": false}),
            )
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(if verified != 0 {
            "SMS verification reset: the customer will be asked to verify their phone again.".into()
        } else {
            "The phone was not verified; the customer will be asked to verify it.".into()
        })
    }

    pub async fn password_reset(customer_id: String) -> Result<String, AppError> {
        let agent = require(Permission::AccessToolsUse)?;
        let state = crate::state::app_state()?;
        crate::privacy::db::refuse_if_restricted(&state.db, &customer_id, "no messages").await?;
        let Some(mail) = state.config.mail.clone() else {
            return Err(AppError::Unavailable(
                "Email is not set up for this console (no SMTP server configured), so no \
                 password-reset email can be sent."
                    .into(),
            ));
        };
        let mut tx = state.db.begin_write().await?;
        let (email, first_name, _) = db::contact(&mut tx, &customer_id)
            .await?
            .ok_or_else(|| no_customer(&customer_id))?;
        let Some(email) = email else {
            return Err(AppError::Conflict(
                "This customer has no email address; add one on the Profile tab first.".into(),
            ));
        };
        mail.send_password_reset(&email, first_name.as_deref())
            .await
            .map_err(|reason| {
                tracing::warn!(%customer_id, %reason, "password-reset email failed");
                AppError::Unavailable(format!("The email was not sent: {reason}."))
            })?;
        let now = now_millis();
        let event = NewEvent::console(
            &customer_id,
            "password_reset_sent",
            now,
            json!({"agent": agent.display_name, "to": mask_email(&email)}),
        );
        crate::activity::db::insert_many(&mut tx, std::slice::from_ref(&event)).await?;
        Record::by(&agent, "access.password_reset_email")
            .customer(&customer_id)
            .change(json!(null), json!({"to": email}))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        let shown = if agent.can(Permission::CustomersViewPii) {
            email
        } else {
            mask_email(&email)
        };
        Ok(format!("Password-reset email sent to {shown}."))
    }
}
