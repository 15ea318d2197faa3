//! Defining panels (settings.manage, audited) and calling them for an open profile: each
//! active panel at once, each within its timeout, answers kept for its cache time, every call
//! in the audit trail with what was sent.

use super::call::{call, checked_url, Request};
use super::db;
use super::model::{checked, Panel, PanelAnswer, PanelForm, PanelView, Sends};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use crate::time::now_millis;
use serde_json::{json, Value};
use std::time::Duration;

/// Every panel, and whether private addresses are allowed.
pub async fn list(state: &AppState) -> Result<(Vec<Panel>, bool), AppError> {
    Ok((
        db::list(&state.db, false).await?,
        db::allow_private(&state.db).await?,
    ))
}

/// Adds a panel (`form.id` empty) or changes one still as the form saw it; its id.
pub async fn save(
    state: &AppState,
    admin: &CurrentUser,
    form: PanelForm,
) -> Result<String, AppError> {
    let panel = checked(&form, form.id.is_empty()).map_err(|(f, m)| AppError::validation(f, m))?;
    let allow_private = db::allow_private(&state.db).await?;
    checked_url(&panel.url, allow_private).map_err(|m| AppError::validation("url", m))?;
    let mut change = Change::begin(state, admin).await?;
    let now = now_millis();
    let (id, action, before) = if form.id.is_empty() {
        let id = uuid::Uuid::now_v7().to_string();
        db::insert(change.tx(), &id, &panel, now).await?;
        (id, "panels.add", Value::Null)
    } else {
        let before = db::get(change.tx(), &form.id)
            .await?
            .ok_or_else(|| AppError::NotFound("This panel no longer exists.".into()))?;
        let seen = form.seen.trim().parse::<i64>().unwrap_or_default();
        if !db::update(change.tx(), &form.id, seen, &panel, now).await? {
            return Err(AppError::Conflict(
                "Someone changed this panel while you were editing it: reload to see their \
                 change, then make yours."
                    .into(),
            ));
        }
        (form.id.clone(), "panels.update", json!(before))
    };
    let mut after = json!(db::get(change.tx(), &id).await?);
    after["secret_changed"] = json!(panel.secret.is_some());
    change
        .audit(action, |r| r.subject(&id).change(before, after))
        .await?;
    change.commit().await?;
    Ok(id)
}

/// Lets panels live on loopback and private addresses (development only), or not.
pub async fn set_allow_private(
    state: &AppState,
    admin: &CurrentUser,
    allow: bool,
) -> Result<(), AppError> {
    let mut change = Change::begin(state, admin).await?;
    db::set_allow_private(change.tx(), allow).await?;
    change
        .audit("panels.allow_private", |r| {
            r.subject("panels").change(json!(null), json!(allow))
        })
        .await?;
    change.commit().await
}

/// The active panels for `customer_id`, each answered or unavailable; none are called for a
/// customer whose processing is restricted.
pub async fn for_customer(
    state: &AppState,
    user: &CurrentUser,
    customer_id: &str,
) -> Result<Vec<PanelView>, AppError> {
    let (panels, secrets): (Vec<Panel>, Vec<String>) = db::active_with_secrets(&state.db)
        .await?
        .into_iter()
        .unzip();
    if panels.is_empty() {
        return Ok(Vec::new());
    }
    let (external_id, email, restricted) = db::identifiers(&state.db, customer_id)
        .await?
        .ok_or_else(|| AppError::no_customer(customer_id))?;
    if restricted {
        let why = "processing of this customer's data is restricted: nothing is sent to panels";
        return Ok(panels
            .into_iter()
            .map(|p| view(p, Err(why.into())))
            .collect());
    }
    let allow_private = db::allow_private(&state.db).await?;
    let now = now_millis();
    let identifiers = Identifiers { external_id, email };
    let answers =
        futures::future::join_all(panels.iter().zip(&secrets).map(|(panel, secret)| async {
            if let Some(kept) = state.panel_answers.get(&panel.id, customer_id, now) {
                return (Ok(kept), None);
            }
            ask(panel, secret, &identifiers, allow_private).await
        }))
        .await;
    // Only calls made are audited: a kept answer opens no write.
    let mut change = match answers.iter().any(|(_, sent)| sent.is_some()) {
        true => Some(Change::begin(state, user).await?),
        false => None,
    };
    let mut views = Vec::with_capacity(panels.len());
    for (panel, (answer, sent)) in panels.into_iter().zip(answers) {
        if let (Some(sent), Some(change)) = (sent, change.as_mut()) {
            let outcome = answer
                .as_ref()
                .map_or_else(String::clone, |_| "answered".into());
            let detail =
                json!({"panel": panel.title, "url": panel.url, "sent": sent, "outcome": outcome});
            change
                .audit_disclosure("panels.call", |r| {
                    r.customer(customer_id)
                        .subject(&panel.id)
                        .change(json!(null), detail)
                })
                .await?;
            if let Ok(fresh) = &answer {
                let until = now + panel.cache_seconds * 1000;
                state
                    .panel_answers
                    .put(&panel.id, customer_id, until, fresh.clone(), now);
            }
        }
        views.push(view(panel, answer));
    }
    if let Some(change) = change {
        change.commit().await?;
    }
    Ok(views)
}

/// What a panel may be sent.
struct Identifiers {
    external_id: Option<String>,
    email: Option<String>,
}

/// Calls `panel` with the customer's `identifiers` it may be sent: its answer or why there is
/// none, and the kinds of identifier sent (`None`: not called).
async fn ask(
    panel: &Panel,
    secret: &str,
    identifiers: &Identifiers,
    allow_private: bool,
) -> (Result<PanelAnswer, String>, Option<Vec<&'static str>>) {
    let customer = match panel.sends {
        Sends::Nothing => Some(json!({})),
        Sends::ExternalId => identifiers
            .external_id
            .as_ref()
            .map(|v| json!({"external_id": v})),
        Sends::Email => identifiers.email.as_ref().map(|v| json!({"email": v})),
    };
    let Some(customer) = customer else {
        let why = format!(
            "the customer has no {} to send it",
            panel.sends.label().to_lowercase()
        );
        return (Err(why), None);
    };
    let sent = match panel.sends {
        Sends::Nothing => Vec::new(),
        sends => vec![sends.as_str()],
    };
    // A random reference, not our id: the panel learns nothing it is not sent.
    let request_id = uuid::Uuid::new_v4().to_string();
    let body = json!({"panel": panel.id, "request": request_id, "customer": customer,
                      "requested_at": chrono::Utc::now().to_rfc3339()});
    let request = Request {
        url: &panel.url,
        secret,
        body: body.to_string(),
        timeout: Duration::from_millis(
            u64::try_from(panel.timeout_ms.clamp(100, super::model::MAX_TIMEOUT_MS))
                .unwrap_or(2_000),
        ),
        allow_private,
    };
    (call(request).await, Some(sent))
}

fn view(panel: Panel, answer: Result<PanelAnswer, String>) -> PanelView {
    PanelView {
        id: panel.id,
        title: panel.title,
        answer,
    }
}
