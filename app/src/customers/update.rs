//! Server function of the Profile tab's Edit (permissions profile.edit and customers.view_pii).

use super::new_customer::NewCustomerForm;
use crate::error::AppError;
use leptos::prelude::*;

/// Validates and saves an edited profile that started from row `version`. When someone else
/// saved the profile in between, nothing is written and the answer is a `Conflict`; the
/// browser keeps what the agent typed.
#[server(endpoint = "update_customer_profile")]
pub async fn update_customer_profile(
    id: String,
    version: i64,
    form: NewCustomerForm,
) -> Result<(), AppError> {
    crate::error::respond(server::update(id, version, form).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::NewCustomerForm;
    use crate::activity::NewEvent;
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::customers::new_customer::{first_error, validate};
    use crate::customers::{db, CustomerProfile};
    use crate::error::AppError;
    use crate::time::now_millis;
    use serde_json::{json, Map, Value};

    /// The editable fields of a profile as JSON, for the audit diff.
    fn editable(profile: &CustomerProfile) -> Map<String, Value> {
        let value = json!({
            "first_name": profile.first_name, "last_name": profile.last_name,
            "email": profile.email, "phone": profile.phone, "card_number": profile.card_number,
            "external_id": profile.external_id, "date_of_birth": profile.date_of_birth,
            "address_line": profile.address_line, "city": profile.city,
            "postal_code": profile.postal_code, "country": profile.country,
            "email_opt_in": profile.email_opt_in, "sms_opt_in": profile.sms_opt_in,
            "push_opt_in": profile.push_opt_in,
        });
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    pub async fn update(id: String, version: i64, form: NewCustomerForm) -> Result<(), AppError> {
        let agent = require(Permission::ProfileEdit)?;
        if !agent.can(Permission::CustomersViewPii) {
            return Err(AppError::Forbidden(
                Permission::CustomersViewPii.as_str().into(),
            ));
        }
        let state = crate::state::app_state()?;
        let calling_code = crate::settings::db::calling_code(&state.db).await?;
        let valid =
            validate(&form, &calling_code, chrono::Utc::now().date_naive()).map_err(first_error)?;
        let before = db::profile(&state.db, &id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("There is no customer with id {id}.")))?;
        for (column, value, noun) in [
            ("email", &valid.email, "email address"),
            ("phone", &valid.phone, "phone number"),
            ("card_number", &valid.card_number, "loyalty card number"),
            ("external_id", &valid.external_id, "external id"),
        ] {
            let Some(value) = value else { continue };
            if let Some(other) = db::id_by_identifier(&state.db, column, value).await? {
                if other != id {
                    return Err(AppError::validation(
                        column,
                        format!("Another customer already has this {noun}."),
                    ));
                }
            }
        }
        let now = now_millis();
        let mut tx = state.db.begin_write().await?;
        let saved = match db::update_profile(&mut tx, &id, version, &valid, now).await {
            Ok(saved) => saved,
            Err(err)
                if err
                    .as_database_error()
                    .is_some_and(|e| e.is_unique_violation()) =>
            {
                return Err(AppError::Conflict(
                    "Another customer was given one of these identifiers a moment ago.".into(),
                ))
            }
            Err(err) => return Err(err.into()),
        };
        if !saved {
            return Err(AppError::Conflict(
                "Someone else saved this profile while you were editing it. Your changes are \
                 still in the form: reload the latest profile, then apply them again."
                    .into(),
            ));
        }
        let after = db::profile_in(&mut tx, &id).await?;
        let (old, new) = (
            editable(&before),
            after.as_ref().map(editable).unwrap_or_default(),
        );
        let changed: Vec<String> = new
            .iter()
            .filter(|(key, value)| old.get(*key) != Some(*value))
            .map(|(key, _)| key.clone())
            .collect();
        let pick = |map: &Map<String, Value>| -> Value {
            changed
                .iter()
                .map(|k| (k.clone(), map.get(k).cloned().unwrap_or(Value::Null)))
                .collect::<Map<_, _>>()
                .into()
        };
        let event = NewEvent::console(
            &id,
            "profile_updated",
            now,
            json!({"fields": changed, "agent": agent.display_name}),
        );
        crate::activity::db::insert_many(&mut tx, std::slice::from_ref(&event)).await?;
        Record::by(&agent, "profile.edit")
            .customer(&id)
            .change(pick(&old), pick(&new))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        state.live.publish(&id);
        Ok(())
    }
}
