//! Rewards a customer redeemed and the orders that deliver them.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// One step of a reward order's delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderUpdate {
    /// When.
    pub at: EpochMillis,
    /// `processing`, `shipped`, `delivered`, `returned`…
    pub status: String,
    /// Carrier, if any.
    pub carrier: Option<String>,
    /// The carrier's tracking reference.
    pub tracking_ref: Option<String>,
    /// The carrier's tracking page (https only).
    pub tracking_url: Option<String>,
}

/// A redeemed reward with its order's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Redemption {
    /// The reward.
    pub reward: String,
    /// When it was redeemed.
    pub redeemed_at: EpochMillis,
    /// The order delivering it, if it has one.
    pub order_id: Option<String>,
    /// The latest status: the order's, else the redemption's own, else `redeemed`.
    pub status: String,
    /// Order updates, oldest first.
    pub history: Vec<OrderUpdate>,
}

/// A reward event as read from the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum RewardEvent {
    /// `reward_redeemed`.
    Redeemed {
        /// When.
        at: EpochMillis,
        /// Reward name.
        reward: String,
        /// Order id.
        order_id: Option<String>,
        /// Status given with the redemption.
        status: Option<String>,
    },
    /// `reward_order_updated`.
    Updated {
        /// Order id.
        order_id: String,
        /// The update.
        update: OrderUpdate,
    },
}

/// Redemptions, newest first, each with its order's updates (oldest first); `events` in any
/// order. Updates for orders with no redemption here are dropped.
pub fn redemptions(events: Vec<RewardEvent>) -> Vec<Redemption> {
    let mut redemptions = Vec::new();
    let mut updates: Vec<(String, OrderUpdate)> = Vec::new();
    for event in events {
        match event {
            RewardEvent::Redeemed {
                at,
                reward,
                order_id,
                status,
            } => redemptions.push(Redemption {
                reward,
                redeemed_at: at,
                order_id,
                status: status.unwrap_or_else(|| "redeemed".into()),
                history: Vec::new(),
            }),
            RewardEvent::Updated { order_id, update } => updates.push((order_id, update)),
        }
    }
    updates.sort_by_key(|(_, u)| u.at);
    for (order_id, update) in updates {
        if let Some(r) = redemptions
            .iter_mut()
            .find(|r| r.order_id.as_deref() == Some(order_id.as_str()))
        {
            r.status = update.status.clone();
            r.history.push(update);
        }
    }
    redemptions.sort_by_key(|r| std::cmp::Reverse(r.redeemed_at));
    redemptions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(at: i64, status: &str) -> RewardEvent {
        RewardEvent::Updated {
            order_id: "RW-1".into(),
            update: OrderUpdate {
                at,
                status: status.into(),
                carrier: Some("Royal Mail".into()),
                tracking_ref: Some("AB123".into()),
                tracking_url: None,
            },
        }
    }

    #[test]
    fn orders_collect_their_updates_in_time_order_and_take_the_latest_status() {
        let events = vec![
            update(30, "delivered"),
            RewardEvent::Redeemed {
                at: 10,
                reward: "Tote bag".into(),
                order_id: Some("RW-1".into()),
                status: None,
            },
            update(20, "shipped"),
            RewardEvent::Redeemed {
                at: 40,
                reward: "Free pastry".into(),
                order_id: None,
                status: Some("fulfilled".into()),
            },
            RewardEvent::Updated {
                order_id: "RW-unknown".into(),
                update: OrderUpdate {
                    at: 5,
                    status: "shipped".into(),
                    carrier: None,
                    tracking_ref: None,
                    tracking_url: None,
                },
            },
        ];
        let list = redemptions(events);
        assert_eq!(list.len(), 2);
        assert_eq!(
            (list[0].reward.as_str(), list[0].status.as_str()),
            ("Free pastry", "fulfilled")
        );
        assert_eq!(list[1].status, "delivered");
        let steps: Vec<&str> = list[1].history.iter().map(|u| u.status.as_str()).collect();
        assert_eq!(steps, vec!["shipped", "delivered"]);
    }
}
