//! Server functions of the Promo Codes sub-tab.

use super::model::PromoOverview;
use crate::error::AppError;
use leptos::prelude::*;

/// Customer `customer_id`'s claimed codes, failed claims and lockout.
#[server(endpoint = "get_promo_overview")]
pub async fn get_promo_overview(customer_id: String) -> Result<PromoOverview, AppError> {
    crate::error::respond(server::overview(customer_id).await)
}

/// Lifts the customer's promo-code lockout (promo.reset_lockout): a `promo_lockout_reset`
/// event, audited. A conflict when the customer is not locked out.
#[server(endpoint = "reset_promo_lockout")]
pub async fn reset_promo_lockout(customer_id: String) -> Result<(), AppError> {
    crate::error::respond(server::reset(customer_id).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::db;
    use super::super::model::{
        limits_hit, lockout, Claim, ClaimError, Lockout, PromoOverview, LOCKOUT_MS,
        LOCKOUT_WINDOW_MS,
    };
    use crate::activity::NewEvent;
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
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

    pub async fn overview(id: String) -> Result<PromoOverview, AppError> {
        require(Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        let db = &state.db;
        if !crate::customers::db::exists(db, &id).await? {
            return Err(AppError::NotFound("No such customer.".into()));
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

    pub async fn reset(id: String) -> Result<(), AppError> {
        let agent = require(Permission::PromoResetLockout)?;
        let state = crate::state::app_state()?;
        if !crate::customers::db::exists(&state.db, &id).await? {
            return Err(AppError::NotFound("No such customer.".into()));
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
        let mut tx = state.db.begin_write().await?;
        crate::activity::db::insert_many(&mut tx, std::slice::from_ref(&event)).await?;
        Record::by(&agent, "promo.reset_lockout")
            .customer(&id)
            .subject("promo_lockout")
            .change(json!({"locked_until": locked_until}), json!(null))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        state.live.publish(&id);
        Ok(())
    }
}
