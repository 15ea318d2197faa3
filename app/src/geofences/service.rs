//! Defining geofences (settings.manage, audited), the list apps fetch, and where a customer was
//! last seen.

use super::db;
use super::model::{checked, Geofence, GeofenceForm, GeofenceVisit};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use crate::time::now_millis;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Every geofence, by name.
pub async fn list(state: &AppState) -> Result<Vec<Geofence>, AppError> {
    Ok(db::list(&state.db, false).await?)
}

/// The geofences apps are told of.
pub async fn active(state: &AppState) -> Result<Vec<Geofence>, AppError> {
    Ok(db::list(&state.db, true).await?)
}

/// Adds a geofence (`form.id` empty) or changes one still as the form saw it; its id.
pub async fn save(
    state: &AppState,
    admin: &CurrentUser,
    form: GeofenceForm,
) -> Result<String, AppError> {
    let fence = checked(&form).map_err(|(field, message)| AppError::validation(field, message))?;
    let taken = "A geofence with this name exists already.";
    let mut change = Change::begin(state, admin).await?;
    if let Some(store) = &fence.store_id {
        if !db::store_exists(change.tx(), store).await? {
            return Err(AppError::validation(
                "store_id",
                "Choose a store of the list.",
            ));
        }
    }
    let now = now_millis();
    let (id, action, before) = if form.id.is_empty() {
        let id = uuid::Uuid::now_v7().to_string();
        db::insert(change.tx(), &id, &fence, now)
            .await
            .map_err(|e| AppError::taken_if_unique(e, "name", taken))?;
        (id, "geofences.add", Value::Null)
    } else {
        let before = db::get(change.tx(), &form.id)
            .await?
            .ok_or_else(|| AppError::NotFound("This geofence no longer exists.".into()))?;
        let seen = form.seen.trim().parse::<i64>().unwrap_or_default();
        let updated = db::update(change.tx(), &form.id, seen, &fence, now)
            .await
            .map_err(|e| AppError::taken_if_unique(e, "name", taken))?;
        if !updated {
            return Err(AppError::Conflict(
                "Someone changed this geofence while you were editing it: reload to see their \
                 change, then make yours."
                    .into(),
            ));
        }
        (form.id.clone(), "geofences.update", json!(before))
    };
    let after = json!(db::get(change.tx(), &id).await?);
    change
        .audit(action, |r| r.subject(&id).change(before, after))
        .await?;
    change.commit().await?;
    Ok(id)
}

/// The geofences `customer_id` was seen in (their latest 500 geofence events), the one
/// entered most recently first.
pub async fn visits(state: &AppState, customer_id: &str) -> Result<Vec<GeofenceVisit>, AppError> {
    let events = db::customer_events(&state.db, customer_id, 500).await?;
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let fences: HashMap<String, Geofence> = db::list(&state.db, false)
        .await?
        .into_iter()
        .map(|g| (g.id.clone(), g))
        .collect();
    let mut visits: Vec<GeofenceVisit> = Vec::new();
    // Newest first: the exits met before an entry are the ones after it (when, dwell sent).
    let mut exits: HashMap<String, (i64, Option<i64>)> = HashMap::new();
    for (event_type, payload, at) in events {
        let payload: Value = serde_json::from_str(&payload).unwrap_or_default();
        let Some(fence) = payload["geofence_id"]
            .as_str()
            .and_then(|id| fences.get(id))
        else {
            continue;
        };
        if event_type == "geofence_exited" {
            let dwell = payload["dwell_seconds"].as_i64();
            exits.entry(fence.id.clone()).or_insert((at, dwell));
            continue;
        }
        let position = visits.iter().position(|v| v.geofence.id == fence.id);
        let Some(i) = position else {
            // Their last entry here: left since (and how long they stayed), or still inside.
            let exit = exits.get(&fence.id);
            visits.push(GeofenceVisit {
                geofence: fence.clone(),
                entries: 1,
                last_entered: Some(at),
                last_dwell_seconds: exit.map(|(left, dwell)| dwell.unwrap_or((left - at) / 1000)),
                inside: exit.is_none(),
            });
            continue;
        };
        visits[i].entries += 1;
    }
    Ok(visits)
}
