//! The access tools' use cases: reset SMS verification, send a password-reset email.

use super::db;
use crate::auth::{CurrentUser, Permission};
use crate::change::Change;
use crate::error::AppError;
use crate::events::NewEvent;
use crate::identity::mask_email;
use crate::state::AppState;
use crate::time::now_millis;
use serde_json::json;

/// Clears the customer's verified-phone state so the app asks them to verify again; returns
/// what to tell the agent.
pub async fn reset_sms(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: &str,
) -> Result<String, AppError> {
    crate::privacy::db::refuse_if_restricted(&state.db, customer_id, "no messages").await?;
    let mut change = Change::begin(state, agent).await?;
    let (_, _, verified) = db::contact(&mut **change.tx(), customer_id)
        .await?
        .ok_or_else(|| AppError::no_customer(customer_id))?;
    let verified = verified != 0;
    let now = now_millis();
    db::clear_phone_verification(change.tx(), customer_id, now).await?;
    change
        .event(NewEvent::console(
            customer_id,
            "sms_verification_reset",
            now,
            json!({"agent": agent.display_name, "was_verified": verified}),
        ))
        .await?;
    change
        .audit("access.reset_sms_verification", |r| {
            r.customer(customer_id).change(
                json!({"phone_verified": verified}),
                json!({"phone_verified": false}),
            )
        })
        .await?;
    change.commit().await?;
    Ok(if verified {
        "SMS verification reset: the customer will be asked to verify their phone again.".into()
    } else {
        "The phone was not verified; the customer will be asked to verify it.".into()
    })
}

/// Emails the customer a link to the brand's password-reset page, then records it; returns
/// what to tell the agent. The email goes out before the write transaction opens: a slow
/// mail server must never hold the database's write lock, and an email that failed is not
/// recorded as sent.
pub async fn password_reset(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: &str,
) -> Result<String, AppError> {
    crate::privacy::db::refuse_if_restricted(&state.db, customer_id, "no messages").await?;
    let Some(mail) = state.config.mail.clone() else {
        return Err(AppError::Unavailable(
            "Email is not set up for this console (no SMTP server configured), so no \
             password-reset email can be sent."
                .into(),
        ));
    };
    let (email, first_name, _) = db::contact(state.db.pool(), customer_id)
        .await?
        .ok_or_else(|| AppError::no_customer(customer_id))?;
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
    let mut change = Change::begin(state, agent).await?;
    change
        .event(NewEvent::console(
            customer_id,
            "password_reset_sent",
            now_millis(),
            json!({"agent": agent.display_name, "to": mask_email(&email)}),
        ))
        .await?;
    change
        .audit("access.password_reset_email", |r| {
            r.customer(customer_id)
                .change(json!(null), json!({"to": email}))
        })
        .await?;
    change.commit().await?;
    let shown = if agent.can(Permission::CustomersViewPii) {
        email
    } else {
        mask_email(&email)
    };
    Ok(format!("Password-reset email sent to {shown}."))
}
