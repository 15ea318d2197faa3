//! The use cases behind the server functions of this feature.

use super::db;
use super::model::{
    limits_hit, lockout, Claim, ClaimError, Lockout, PromoOverview, LOCKOUT_MS, LOCKOUT_WINDOW_MS,
};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::events::NewEvent;
use crate::state::AppState;
use crate::store::Db;
use crate::time::now_millis;
use serde_json::{json, Value};

/// Events of each kind shown.
const SHOWN: i64 = 200;

fn text(payload: &str, key: &str) -> String {
    serde_json::from_str::<Value>(payload)
        .ok()
        .and_then(|v| v.get(key).and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default()
}

/// The lockout now and the last reset (time, agent).
async fn lockout_now(
    db: &Db,
    id: &str,
    now: i64,
) -> Result<(Lockout, Option<(i64, String)>), sqlx::Error> {
    let last_reset = db::events_of_type(db, id, "promo_lockout_reset", 1)
        .await?
        .into_iter()
        .next()
        .map(|(at, payload)| (at, text(&payload, "agent")));
    let horizon = now - LOCKOUT_MS - LOCKOUT_WINDOW_MS;
    let since = last_reset
        .as_ref()
        .map_or(horizon, |(at, _)| (*at).max(horizon));
    let failures = db::failures_after(db, id, since).await?;
    Ok((lockout(&failures, now), last_reset))
}

/// A customer's promo-code attempts and whether they are locked out now.
pub async fn overview(state: &AppState, id: String) -> Result<PromoOverview, AppError> {
    let db = &state.db;
    if !crate::customers::db::exists(db, &id).await? {
        return Err(AppError::no_customer(&id));
    }
    let now = now_millis();
    let (lockout, last_reset) = lockout_now(db, &id, now).await?;
    let catalog = db::catalog(db).await?;
    let claimed = db::events_of_type(db, &id, "promo_code_claimed", SHOWN).await?;
    let claims = claimed
        .iter()
        .map(|(at, payload)| {
            let code = text(payload, "code");
            let times: Vec<i64> = claimed
                .iter()
                .filter(|(_, p)| text(p, "code") == code)
                .map(|(t, _)| *t)
                .collect();
            let promo = catalog.iter().find(|p| p.code == code).cloned();
            Claim {
                limits_hit: promo
                    .as_ref()
                    .map(|p| limits_hit(p, &times, now))
                    .unwrap_or_default(),
                claims_of_code: times.len() as i64,
                code,
                claimed_at: *at,
                promo,
            }
        })
        .collect();
    let errors = db::events_of_type(db, &id, "promo_code_claim_error", SHOWN)
        .await?
        .into_iter()
        .map(|(at, payload)| ClaimError {
            code: text(&payload, "code"),
            reason: text(&payload, "reason"),
            at,
        })
        .collect();
    Ok(PromoOverview {
        lockout,
        last_reset,
        claims,
        errors,
    })
}

/// Lifts a customer's promo-code lockout (too many failed codes), audited and published.
pub async fn reset(state: &AppState, agent: &CurrentUser, id: String) -> Result<(), AppError> {
    if !crate::customers::db::exists(&state.db, &id).await? {
        return Err(AppError::no_customer(&id));
    }
    let now = now_millis();
    let (lockout, _) = lockout_now(&state.db, &id, now).await?;
    let Some(locked_until) = lockout.locked_until else {
        return Err(AppError::Conflict(
            "This customer is not locked out of promo codes: nothing to reset.".into(),
        ));
    };
    let event = NewEvent::console(
        &id,
        "promo_lockout_reset",
        now,
        json!({"agent": agent.display_name, "was_locked_until": crate::time::format_date_time(locked_until)}),
    );
    let mut change = Change::begin(state, agent).await?;
    change.events(std::slice::from_ref(&event)).await?;
    change
        .audit("promo.reset_lockout", |r| {
            r.customer(&id)
                .subject("promo_lockout")
                .change(json!({"locked_until": locked_until}), json!(null))
        })
        .await?;
    change.commit().await?;
    Ok(())
}
