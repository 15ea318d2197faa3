//! Server function of Add Customer (permission customers.create).

use super::new_customer::{CreateOutcome, NewCustomerForm};
use crate::error::AppError;
use leptos::prelude::*;

/// Validates and adds a customer, writing a "customer created" event and an audit record.
#[server(endpoint = "create_customer")]
pub async fn create_customer(form: NewCustomerForm) -> Result<CreateOutcome, AppError> {
    crate::error::respond(server::create(form).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::{CreateOutcome, NewCustomerForm};
    use crate::activity::NewEvent;
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::customers::new_customer::{first_error, validate};
    use crate::customers::{db, NewCustomer};
    use crate::error::AppError;
    use crate::time::now_millis;
    use serde_json::json;

    pub async fn create(form: NewCustomerForm) -> Result<CreateOutcome, AppError> {
        let agent = require(Permission::CustomersCreate)?;
        let state = crate::state::app_state()?;
        let calling_code = crate::settings::db::calling_code(&state.db).await?;
        let valid =
            validate(&form, &calling_code, chrono::Utc::now().date_naive()).map_err(first_error)?;
        for (field, column, value, noun) in [
            ("email", "email", &valid.email, "email address"),
            ("phone", "phone", &valid.phone, "phone number"),
            (
                "card_number",
                "card_number",
                &valid.card_number,
                "loyalty card number",
            ),
            (
                "external_id",
                "external_id",
                &valid.external_id,
                "external id",
            ),
        ] {
            let Some(value) = value else { continue };
            if let Some(existing) = db::id_by_identifier(&state.db, column, value).await? {
                return Ok(CreateOutcome::Duplicate {
                    field: field.into(),
                    message: format!("Another customer already has this {noun}."),
                    existing_id: agent.can(Permission::CustomersSearch).then_some(existing),
                });
            }
        }
        let statuses = crate::settings::db::status_types(&state.db).await?;
        let status_id = if valid.status_id.is_empty() {
            statuses
                .iter()
                .find(|s| s.is_default)
                .or(statuses.first())
                .map(|s| s.id.clone())
                .unwrap_or_default()
        } else if statuses.iter().any(|s| s.id == valid.status_id) {
            valid.status_id.clone()
        } else {
            return Err(AppError::validation(
                "status_id",
                "Choose a status from the list.",
            ));
        };
        let now = now_millis();
        let customer = NewCustomer {
            id: uuid::Uuid::now_v7().to_string(),
            first_name: valid.first_name,
            last_name: valid.last_name,
            email: valid.email,
            phone: valid.phone,
            card_number: valid.card_number,
            external_id: valid.external_id,
            date_of_birth: valid.date_of_birth,
            address_line: valid.address_line,
            city: valid.city,
            postal_code: valid.postal_code,
            country: valid.country,
            status_id,
            is_test: valid.is_test,
            email_opt_in: valid.opt_ins.0,
            sms_opt_in: valid.opt_ins.1,
            push_opt_in: valid.opt_ins.2,
            phone_verified: false,
            home_store_id: None,
            points_balance: 0,
            tier: None,
            tier_since: None,
            purchase_count: 0,
            lifetime_spend_cents: 0,
            last_active_at: Some(now),
            created_at: now,
        };
        let event = NewEvent::console(
            &customer.id,
            "customer_created",
            now,
            json!({"channel": "console", "agent": agent.display_name, "test_persona": customer.is_test}),
        );
        let mut tx = state.db.begin_write().await?;
        if let Err(err) = db::insert_many(&mut tx, std::slice::from_ref(&customer)).await {
            // Another agent added the same identifier a moment ago.
            if err
                .as_database_error()
                .is_some_and(|e| e.is_unique_violation())
            {
                return Err(AppError::Conflict(
                    "Another customer with one of these identifiers was added a moment ago; search for it.".into(),
                ));
            }
            return Err(err.into());
        }
        crate::activity::db::insert_many(&mut tx, std::slice::from_ref(&event)).await?;
        Record::by(&agent, "customers.create")
            .customer(&customer.id)
            .change(serde_json::Value::Null, json!({
                "email": customer.email, "phone": customer.phone, "card_number": customer.card_number,
                "external_id": customer.external_id, "is_test": customer.is_test,
            }))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(CreateOutcome::Created(customer.id))
    }
}
