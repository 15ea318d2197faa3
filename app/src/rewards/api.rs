//! Server functions of the Rewards sub-tab.

use super::model::Redemption;
use crate::error::AppError;
use leptos::prelude::*;

/// Customer `customer_id`'s redeemed rewards with their orders' delivery history.
#[server(endpoint = "list_rewards")]
pub async fn list_rewards(customer_id: String) -> Result<Vec<Redemption>, AppError> {
    crate::error::respond(server::list(customer_id).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::model::{redemptions, OrderUpdate, Redemption, RewardEvent};
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use serde_json::Value;

    /// Reward events read per customer.
    const EVENTS: i64 = 1_000;

    fn text(v: &Value, key: &str) -> Option<String> {
        v.get(key).and_then(Value::as_str).map(str::to_string)
    }

    pub async fn list(id: String) -> Result<Vec<Redemption>, AppError> {
        require(Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        if !crate::customers::db::exists(&state.db, &id).await? {
            return Err(AppError::NotFound("No such customer.".into()));
        }
        let events = super::super::db::reward_events(&state.db, &id, EVENTS)
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
}
