//! Server function for adding or deducting points (permission points.adjust).

use crate::error::AppError;
use leptos::prelude::*;

/// Adds (positive) or deducts (negative) `points` with a reason; returns the new balance.
#[server(endpoint = "adjust_points")]
pub async fn adjust_points(
    customer_id: String,
    points: String,
    reason: String,
) -> Result<i64, AppError> {
    crate::error::respond(server::adjust(customer_id, points, reason).await)
}

#[cfg(feature = "ssr")]
mod server {
    use crate::activity::NewEvent;
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use crate::points::db::{self, Adjusted};
    use crate::time::now_millis;
    use serde_json::json;

    pub async fn adjust(
        customer_id: String,
        points: String,
        reason: String,
    ) -> Result<i64, AppError> {
        let agent = require(Permission::PointsAdjust)?;
        let delta =
            crate::points::parse_points(&points).map_err(|m| AppError::validation("points", m))?;
        let reason = reason.trim().to_string();
        if reason.chars().count() < 3 || reason.chars().count() > 200 {
            return Err(AppError::validation(
                "reason",
                "Give a reason of 3 to 200 characters; it is shown in the points ledger.",
            ));
        }
        let state = crate::state::app_state()?;
        crate::privacy::db::refuse_if_restricted(&state.db, &customer_id, "no points changes")
            .await?;
        let now = now_millis();
        // Read before the transaction: reading through the pool while holding it could wait
        // for a connection that concurrent adjustments hold (found by the concurrency test).
        let tier_rules = crate::tiers::db::rules(&state.db).await?;
        let mut tx = state.db.begin_write().await?;
        let balance = match db::apply(&mut tx, &customer_id, delta, now).await? {
            Adjusted::Applied(balance) => balance,
            Adjusted::NoCustomer => {
                return Err(AppError::NotFound(format!(
                    "There is no customer with id {customer_id}."
                )))
            }
            Adjusted::WouldGoNegative(balance) => {
                return Err(AppError::validation(
                    "points",
                    format!(
                        "Deducting {} points would take the balance below zero: the customer has \
                         {balance} points.",
                        -delta
                    ),
                ))
            }
        };
        let event_type = if delta > 0 {
            "points_comped"
        } else {
            "points_deducted"
        };
        let event = NewEvent {
            points_delta: Some(delta),
            ..NewEvent::console(
                &customer_id,
                event_type,
                now,
                json!({
                    "reason": reason,
                    "agent": agent.display_name,
                    "agent_email": agent.email,
                }),
            )
        };
        db::record_event(&mut tx, &event).await?;
        Record::by(&agent, "points.adjust")
            .customer(&customer_id)
            .change(
                json!({"points_balance": balance - delta}),
                json!({"points_balance": balance, "reason": reason}),
            )
            .write(&mut *tx)
            .await?;
        if delta > 0 {
            // Comped points qualify for tiers like earned ones.
            crate::tiers::engine::apply_rules(&mut tx, &tier_rules, &[&customer_id], now).await?;
        }
        tx.commit().await?;
        state.live.publish(&customer_id);
        Ok(balance)
    }
}
