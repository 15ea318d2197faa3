//! Rewards on both databases: a redemption with an order collects its delivery updates sent
//! to the ingest API; only https tracking links are kept; a bad update is refused at its field.

#![allow(clippy::unwrap_used)]

use crate::common;

use crate::common::console::Console;
use serde_json::{json, Value};

#[tokio::test]
async fn reward_orders_show_their_delivery_history() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let (base, key) = common::server_with_key(&db, 1).await;
        let admin = Console::signed_in(&base, "admin@demo.test").await;
        let id = common::add_customer(&db, &admin, "Rhea", "Ward", "REWARD-1").await;
        let event = |n: u32, kind: &str, payload: Value| {
            json!({"event_id": format!("rw-{n}"), "type": kind,
                "occurred_at": format!("2026-11-0{n}T09:00:00Z"),
                "customer": {"external_id": "REWARD-1"}, "payload": payload})
        };
        let (status, report) = common::post_events(&base, &key, &json!({"events": [
            event(1, "reward_redeemed", json!({"reward": "Tote bag", "order_id": "RW-T1"})),
            event(2, "reward_order_updated", json!({"order_id": "RW-T1", "status": "shipped",
                "carrier": "Royal Mail", "tracking_ref": "RM1GB",
                "tracking_url": "https://www.royalmail.com/track-your-item#/tracking-results/RM1GB"})),
            event(4, "reward_order_updated", json!({"order_id": "RW-T1", "status": "delivered",
                "tracking_url": "javascript:alert(1)"})),
            event(5, "reward_redeemed", json!({"reward": "Free pastry", "status": "fulfilled"})),
        ]}))
        .await;
        assert_eq!(status, 200, "{label}: {report}");
        let no_status = event(6, "reward_order_updated", json!({"order_id": "RW-T1"}));
        let (status, report) = common::post_events(&base, &key, &no_status).await;
        assert_eq!(status, 422, "{label}: {report}");
        assert!(
            report.to_string().contains("payload.status"),
            "{label}: {report}"
        );

        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let response = agent
            .call(
                app::rewards::api::list_rewards,
                &[("customer_id", id.as_str())],
            )
            .await;
        assert_eq!(response.status(), 200, "{label}");
        let list: Value = response.json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 2, "{label}: {list}");
        assert_eq!(list[0]["reward"], "Free pastry");
        assert_eq!(list[0]["status"], "fulfilled");
        let tote = &list[1];
        assert_eq!(tote["status"], "delivered", "{label}");
        assert_eq!(tote["history"].as_array().unwrap().len(), 2, "{label}");
        assert_eq!(tote["history"][0]["carrier"], "Royal Mail");
        assert!(tote["history"][0]["tracking_url"]
            .as_str()
            .unwrap()
            .starts_with("https://"));
        assert!(
            tote["history"][1]["tracking_url"].is_null(),
            "{label}: not https, not a link"
        );
        let unknown = agent
            .call(
                app::rewards::api::list_rewards,
                &[("customer_id", "nobody")],
            )
            .await;
        assert_eq!(unknown.status(), 404, "{label}");
    }
}
