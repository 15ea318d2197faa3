//! The use cases behind the server functions of this feature.

use super::model::{redemptions, OrderUpdate, Redemption, RewardEvent};
use crate::error::AppError;
use crate::state::AppState;
use serde_json::Value;

/// Reward events read per customer.
const EVENTS: i64 = 1_000;

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// A customer's reward redemptions, newest first.
pub async fn list(state: &AppState, id: String) -> Result<Vec<Redemption>, AppError> {
    if !crate::customers::db::exists(&state.db, &id).await? {
        return Err(AppError::no_customer(&id));
    }
    let events = super::db::reward_events(&state.db, &id, EVENTS)
        .await?
        .into_iter()
        .filter_map(|(event_type, at, payload)| {
            let v: Value = serde_json::from_str(&payload).ok()?;
            Some(if event_type == "reward_redeemed" {
                RewardEvent::Redeemed {
                    at,
                    reward: text(&v, "reward")?,
                    order_id: text(&v, "order_id"),
                    status: text(&v, "status"),
                }
            } else {
                RewardEvent::Updated {
                    order_id: text(&v, "order_id")?,
                    update: OrderUpdate {
                        at,
                        status: text(&v, "status")?,
                        carrier: text(&v, "carrier"),
                        tracking_ref: text(&v, "tracking_ref"),
                        tracking_url: text(&v, "tracking_url")
                            .filter(|u| u.starts_with("https://")),
                    },
                }
            })
        })
        .collect();
    Ok(redemptions(events))
}
