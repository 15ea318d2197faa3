//! The use cases behind the server functions of this feature.

use super::new_customer::{CreateOutcome, NewCustomerForm};
use crate::auth::CurrentUser;
use crate::auth::Permission;
use crate::change::Change;
use crate::customers::new_customer::{first_error, validate};

use super::model::{Contact, CustomerHeader};
use crate::customers::{db, CustomerProfile, NewCustomer};
use crate::error::AppError;
use crate::events::NewEvent;
use crate::identity::IdentifierKind;
use crate::state::AppState;
use crate::time::now_millis;

use serde_json::{json, Map, Value};

/// Adds a customer after validating every field and refusing identifiers another customer
/// holds, audited. Each try counts against the agent's search allowance: a refusal says an
/// identifier is someone's, as a search would.
pub async fn create(
    state: &AppState,
    agent: &CurrentUser,
    form: NewCustomerForm,
) -> Result<CreateOutcome, AppError> {
    state.search_limiter.check(&agent.id)?;
    create_via(state, agent, form, "console").await
}

/// [`create`] by way of `channel` (`console`, `shopify`): the customer's joining event and
/// identifiers say where they came from.
pub async fn create_via(
    state: &AppState,
    agent: &CurrentUser,
    form: NewCustomerForm,
    channel: &str,
) -> Result<CreateOutcome, AppError> {
    let (valid, ignore_case) = checked(state, &form).await?;
    let held = held_by_another(&state.db, &valid.contact, ignore_case, None).await?;
    if let Some((kind, existing)) = held {
        return Ok(CreateOutcome::Duplicate {
            field: kind.name().into(),
            message: format!("Another customer already has this {}.", kind.noun()),
            existing_id: agent.can(Permission::CustomersSearch).then_some(existing),
        });
    }
    let statuses = crate::settings::db::status_types(&state.db).await?;
    let status_id = if valid.status_id.is_empty() {
        crate::settings::model::default_status_id(&statuses)
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
        last_active_at: Some(now),
        ..NewCustomer::joining(valid.contact, status_id, valid.is_test, valid.opt_ins, now)
    };
    let mut event = NewEvent::console(
        &customer.id,
        "customer_created",
        now,
        json!({"channel": channel, "agent": agent.display_name, "test_persona": customer.is_test}),
    );
    event.source = channel.to_string();
    // Identifiers record how they came: typed in the console, or with events (an adapter).
    let identifier_source = if channel == "console" {
        "console"
    } else {
        "ingest"
    };
    let mut change = Change::begin(state, agent).await?;
    if let Err(err) = db::insert_many(
        change.tx(),
        std::slice::from_ref(&customer),
        identifier_source,
        ignore_case,
    )
    .await
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
            r.customer(&customer.id).change(
                serde_json::Value::Null,
                json!({
                    "email": customer.contact.email, "phone": customer.contact.phone,
                    "card_number": customer.contact.card_number,
                    "external_id": customer.contact.external_id, "is_test": customer.is_test,
                }),
            )
        })
        .await?;
    change.commit().await?;
    Ok(CreateOutcome::Created(customer.id))
}

/// The first of `contact`'s identifiers that a customer other than `except` holds: its kind
/// and that customer's id.
async fn held_by_another(
    db: &crate::store::Db,
    contact: &Contact,
    ignore_case: bool,
    except: Option<&str>,
) -> Result<Option<(IdentifierKind, String)>, AppError> {
    for (kind, key) in contact.primary_keys(ignore_case) {
        let (Some(key), Some(kind)) = (key, IdentifierKind::held(kind)) else {
            continue;
        };
        let holder = crate::identity::db::owner(db, kind.name(), &key).await?;
        if let Some(holder) = holder.filter(|holder| Some(holder.as_str()) != except) {
            return Ok(Some((kind, holder)));
        }
    }
    Ok(None)
}

/// The editable fields of a profile as JSON, for the audit diff.
fn editable(profile: &CustomerProfile) -> Map<String, Value> {
    let contact = &profile.contact;
    let value = json!({
        "first_name": contact.first_name, "last_name": contact.last_name,
        "email": contact.email, "phone": contact.phone, "card_number": contact.card_number,
        "external_id": contact.external_id, "date_of_birth": contact.date_of_birth,
        "address_line": contact.address_line, "city": contact.city,
        "postal_code": contact.postal_code, "country": contact.country,
        "email_opt_in": profile.email_opt_in, "sms_opt_in": profile.sms_opt_in,
        "push_opt_in": profile.push_opt_in,
    });
    let mut map = match value {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    for attribute in &profile.attributes {
        map.insert(
            attribute.name.clone(),
            Value::String(attribute.value.clone()),
        );
    }
    map
}

/// The attributes of an edit in stored form, checked against the declared ones (a blank value
/// removes an attribute): `(name, value)` for those that change from `before`.
async fn attribute_changes(
    state: &AppState,
    before: &CustomerProfile,
    typed: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<(String, Option<String>)>, AppError> {
    let declared = crate::attributes::db::declared(&state.db).await?;
    let mut changes = Vec::new();
    for (name, input) in typed {
        let field = format!("attributes[{name}]");
        let value = crate::attributes::checked_input(&declared, name, input, &field, &field)?;
        let old = before
            .attributes
            .iter()
            .find(|a| a.name == *name)
            .map(|a| a.value.clone());
        if old != value {
            changes.push((name.clone(), value));
        }
    }
    Ok(changes)
}

/// Saves a profile edit when `version` is still current (otherwise a conflict), audited and published.
pub async fn update(
    state: &AppState,
    agent: &CurrentUser,
    id: String,
    version: i64,
    form: NewCustomerForm,
    attributes: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    if !agent.can(Permission::CustomersViewPii) {
        return Err(AppError::Forbidden(
            Permission::CustomersViewPii.as_str().into(),
        ));
    }
    state.search_limiter.check(&agent.id)?;
    let (valid, ignore_case) = checked(state, &form).await?;
    let before = db::profile(&state.db, &id)
        .await?
        .ok_or_else(|| AppError::no_customer(&id))?;
    let attribute_changes = attribute_changes(state, &before, &attributes).await?;
    if let Some((kind, _)) =
        held_by_another(&state.db, &valid.contact, ignore_case, Some(&id)).await?
    {
        return Err(AppError::Taken {
            field: kind.name().into(),
            message: format!("Another customer already has this {}.", kind.noun()),
        });
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
    for (kind, old, new) in valid
        .contact
        .changed_primaries(&before.contact, ignore_case)
    {
        let typed = match kind {
            "email" => &form.email,
            "phone" => &form.phone,
            "card_number" => &form.card_number,
            _ => &form.external_id,
        };
        let new = new.as_deref().map(|key| (key, typed.trim()));
        crate::identity::db::replace_primary(
            change.tx(),
            &id,
            kind,
            old.as_deref(),
            new,
            "console",
            now,
        )
        .await
        .map_err(|e| {
            AppError::taken_if_unique(e, kind, "Another customer was given this a moment ago.")
        })?;
    }
    for (name, value) in &attribute_changes {
        crate::attributes::db::set_value(change.tx(), &id, name, value.as_deref(), now).await?;
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

/// `form` validated with the organisation's calling code, and whether the organisation
/// ignores external ids' case (they are kept as entered and held folded).
async fn checked(
    state: &AppState,
    form: &NewCustomerForm,
) -> Result<(super::new_customer::ValidCustomer, bool), AppError> {
    let region = crate::settings::service::phone_region(&state.db).await?;
    let valid = validate(form, &region, chrono::Utc::now().date_naive()).map_err(first_error)?;
    let ignore_case = crate::settings::db::external_ids_ignore_case(&state.db).await?;
    Ok((valid, ignore_case))
}

/// See the server function `get_customer_header`.
pub async fn get_customer_header(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<CustomerHeader, AppError> {
    let Some(mut header) =
        super::db::header(&state.db, &id, user.can(Permission::CustomersViewPii)).await?
    else {
        return Err(
            match crate::identity::db::survivor_of(&state.db, &id).await? {
                Some(survivor) => AppError::Merged(survivor),
                None => AppError::no_customer(&id),
            },
        );
    };
    header.home_currency = crate::settings::service::currency(&state.db).await?;
    header.spend = crate::money::home_first(
        super::db::spend_by_currency(&state.db, &id).await?,
        &header.home_currency,
    );
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
        .ok_or_else(|| AppError::no_customer(&id))?;
    Ok(if user.can(Permission::CustomersViewPii) {
        let home = crate::identity::phone::region(
            &crate::settings::service::phone_region(&state.db).await?,
        );
        let mut profile = profile;
        profile.contact.phone = (profile.contact.phone)
            .map(|e164| crate::identity::phone::for_display(&e164, None, home));
        profile
    } else {
        profile.masked()
    })
}
