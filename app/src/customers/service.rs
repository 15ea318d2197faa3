//! The use cases behind the server functions of this feature.

use super::new_customer::{CreateOutcome, NewCustomerForm};
use crate::auth::CurrentUser;
use crate::auth::Permission;
use crate::change::Change;
use crate::customers::new_customer::{first_error, validate};

use super::model::CustomerHeader;
use crate::customers::{db, CustomerProfile, NewCustomer};
use crate::error::AppError;
use crate::events::NewEvent;
use crate::state::AppState;
use crate::time::now_millis;

use serde_json::{json, Map, Value};

/// Adds a customer after validating every field and refusing identifiers another customer holds, audited.
pub async fn create(
    state: &AppState,
    agent: &CurrentUser,
    form: NewCustomerForm,
) -> Result<CreateOutcome, AppError> {
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
        if let Some(existing) = crate::identity::db::owner(&state.db, column, value).await? {
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
    let mut change = Change::begin(state, agent).await?;
    if let Err(err) = db::insert_many(change.tx(), std::slice::from_ref(&customer), "console").await
    {
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
    change.events(std::slice::from_ref(&event)).await?;
    change
        .audit("customers.create", |r| {
            r
        .customer(&customer.id)
        .change(serde_json::Value::Null, json!({
            "email": customer.email, "phone": customer.phone, "card_number": customer.card_number,
            "external_id": customer.external_id, "is_test": customer.is_test,
        }))
        })
        .await?;
    change.commit().await?;
    Ok(CreateOutcome::Created(customer.id))
}

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

/// Saves a profile edit when `version` is still current (otherwise a conflict), audited and published.
pub async fn update(
    state: &AppState,
    agent: &CurrentUser,
    id: String,
    version: i64,
    form: NewCustomerForm,
) -> Result<(), AppError> {
    if !agent.can(Permission::CustomersViewPii) {
        return Err(AppError::Forbidden(
            Permission::CustomersViewPii.as_str().into(),
        ));
    }
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
        if let Some(other) = crate::identity::db::owner(&state.db, column, value).await? {
            if other != id {
                return Err(AppError::Taken {
                    field: column.into(),
                    message: format!("Another customer already has this {noun}."),
                });
            }
        }
    }
    let now = now_millis();
    let mut change = Change::begin(state, agent).await?;
    if !db::update_profile(change.tx(), &id, version, &valid, now).await? {
        return Err(AppError::Conflict(
            "Someone else saved this profile while you were editing it. Your changes are \
             still in the form: reload the latest profile, then apply them again."
                .into(),
        ));
    }
    for (kind, old, new, typed) in [
        ("email", &before.email, &valid.email, &form.email),
        ("phone", &before.phone, &valid.phone, &form.phone),
        (
            "card_number",
            &before.card_number,
            &valid.card_number,
            &form.card_number,
        ),
        (
            "external_id",
            &before.external_id,
            &valid.external_id,
            &form.external_id,
        ),
    ] {
        if old == new {
            continue;
        }
        let new = new.as_deref().map(|n| (n, typed.trim()));
        crate::identity::db::replace_primary(change.tx(), &id, kind, old.as_deref(), new, now)
            .await
            .map_err(|e| {
                AppError::taken_if_unique(e, kind, "Another customer was given this a moment ago.")
            })?;
    }
    let after = db::profile_in(change.tx(), &id).await?;
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
    change.events(std::slice::from_ref(&event)).await?;
    change
        .audit("profile.edit", |r| {
            r.customer(&id).change(pick(&old), pick(&new))
        })
        .await?;
    change.commit().await?;
    Ok(())
}

/// See the server function `get_customer_header`.
pub async fn get_customer_header(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<CustomerHeader, AppError> {
    let header = super::db::header(&state.db, &id, user.can(Permission::CustomersViewPii))
        .await?
        .ok_or_else(|| not_found(&id))?;
    state.recent.note(&state.db, &user.id, &id);
    Ok(header)
}

/// See the server function `get_customer_profile`.
pub async fn get_customer_profile(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<CustomerProfile, AppError> {
    let profile = super::db::profile(&state.db, &id)
        .await?
        .ok_or_else(|| not_found(&id))?;
    Ok(if user.can(Permission::CustomersViewPii) {
        profile
    } else {
        profile.masked()
    })
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("There is no customer with id {id}."))
}
