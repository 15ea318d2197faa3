//! The use cases behind the server functions of this feature.

use super::model::{
    checked_origins, checked_per_minute, ApiKeySummary, BrowserLimits, KeyKind, NewApiKey,
    NewKeyForm,
};
use crate::api_keys::{db, model::checked_name};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use serde_json::json;

/// Creates an ingest API key from the New key form, audited: a secret key is returned once
/// and stored hashed; a publishable key carries its checked limits.
pub async fn create(
    state: &AppState,
    admin: &CurrentUser,
    form: NewKeyForm,
) -> Result<NewApiKey, AppError> {
    let name = checked_name(&form.name).map_err(|m| AppError::validation("name", m))?;
    let limits = match KeyKind::parse(&form.kind) {
        KeyKind::Secret => None,
        KeyKind::Publishable => Some(browser_limits(state, &form).await?),
    };
    let mut change = Change::begin(state, admin).await?;
    let now = crate::time::now_millis();
    let created = match &limits {
        None => db::create(&mut **change.tx(), &name, Some(&admin.id), now).await?,
        Some(limits) => {
            db::create_publishable(&mut **change.tx(), &name, limits, Some(&admin.id), now).await?
        }
    };
    let summary = &created.summary;
    change
        .audit("api_key.create", |r| {
            r.subject(&summary.id).change(
                json!(null),
                json!({
                    "name": name, "prefix": summary.prefix, "kind": summary.kind.as_str(),
                    "event_types": summary.event_types, "origins": summary.origins,
                    "per_minute": summary.per_minute,
                }),
            )
        })
        .await?;
    change.commit().await?;
    Ok(created)
}

/// Replaces the event types, origins and rate of a live publishable key, audited with the
/// limits before and after; they apply to the next request.
pub async fn update_limits(
    state: &AppState,
    admin: &CurrentUser,
    id: String,
    form: NewKeyForm,
) -> Result<ApiKeySummary, AppError> {
    let limits = browser_limits(state, &form).await?;
    let gone = || AppError::NotFound("No live publishable key has this id.".into());
    let mut change = Change::begin(state, admin).await?;
    let before = db::find(&mut **change.tx(), &id).await?.ok_or_else(gone)?;
    let after = db::update_limits(&mut **change.tx(), &id, &limits)
        .await?
        .ok_or_else(gone)?;
    let shown = |key: &ApiKeySummary| json!({"event_types": key.event_types, "origins": key.origins, "per_minute": key.per_minute});
    change
        .audit("api_key.update", |r| {
            r.subject(&id).change(shown(&before), shown(&after))
        })
        .await?;
    change.commit().await?;
    Ok(after)
}

/// The limits of a publishable key from the form: ticked types the ingest API takes, origins,
/// rate; each wrong one answered at its field.
async fn browser_limits(state: &AppState, form: &NewKeyForm) -> Result<BrowserLimits, AppError> {
    let registry = crate::events::db::registry(&state.db).await?;
    let mut event_types = Vec::new();
    for name in form.types.keys() {
        if !registry.iter().any(|t| &t.name == name && t.ingestible) {
            return Err(AppError::validation(
                "types",
                format!("“{name}” is not an event type the API takes."),
            ));
        }
        event_types.push(name.clone());
    }
    if event_types.is_empty() {
        return Err(AppError::validation(
            "types",
            "Tick the event types web pages may send with this key.",
        ));
    }
    let origins = checked_origins(&form.origins).map_err(|m| AppError::validation("origins", m))?;
    let per_minute =
        checked_per_minute(&form.per_minute).map_err(|m| AppError::validation("per_minute", m))?;
    Ok(BrowserLimits {
        event_types,
        origins,
        per_minute,
    })
}

/// Revokes an API key, audited; requests with it are refused from then on.
pub async fn revoke(
    state: &AppState,
    admin: &CurrentUser,
    id: String,
) -> Result<ApiKeySummary, AppError> {
    let mut change = Change::begin(state, admin).await?;
    let revoked = db::revoke(&mut **change.tx(), &id, crate::time::now_millis())
        .await?
        .ok_or_else(|| AppError::NotFound("No such API key.".into()))?;
    change
        .audit("api_key.revoke", |r| {
            r.subject(&id).change(
                json!({"revoked": false}),
                json!({"revoked": true, "name": revoked.name}),
            )
        })
        .await?;
    change.commit().await?;
    Ok(revoked)
}
