//! Campaigns on both databases: progress events sent to the ingest API put a customer in
//! progress or completed; running campaigns of their audience they have not started are
//! eligible; the campaign page and its errors.

#![allow(clippy::unwrap_used)]

use crate::common;
use customer_profiles_client::{CustomerRef, EventIn};

use crate::common::console::Console;
use serde_json::{json, Value};

#[tokio::test]
async fn progress_events_decide_the_standing_in_each_campaign() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let (base, key) = common::server_with_key(&db, 1).await;
        // A customer of our own, with no seeded campaign history.
        let external = "CAMPAIGN-1";
        let admin = Console::signed_in(&base, "admin@demo.test").await;
        let id = common::add_customer(&db, &admin, "Cam", "Paign", external).await;
        let progress = |n: u32, campaign: &str, value: i64, goal: i64| {
            let at = chrono::NaiveDate::from_ymd_opt(2026, 11, n)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .unwrap()
                .and_utc();
            EventIn::new(
                "campaign_progress",
                CustomerRef::ExternalId(external.into()),
                json!({"campaign": campaign, "progress": value, "goal": goal}),
            )
            .id(format!("cp-{n}"))
            .at(at)
        };
        let events = vec![
            progress(1, "Visit 3 times in March", 2, 3),
            progress(2, "Visit 3 times in March", 3, 3),
            progress(3, "Try 5 new drinks", 2, 5),
        ];
        let report = common::send_events(&base, &key, events).await;
        assert_eq!(report.accepted, 3, "{label}: {report:?}");

        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let response = agent
            .call(
                app::campaigns::api::list_customer_campaigns,
                &[("customer_id", id.as_str())],
            )
            .await;
        assert_eq!(response.status(), 200, "{label}");
        let list: Value = response.json().await.unwrap();
        let standing: Vec<(String, String, i64)> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["campaign"]["name"].as_str().unwrap().to_string(),
                    c["standing"].as_str().unwrap().to_string(),
                    c["progress"].as_i64().unwrap(),
                )
            })
            .collect();
        // A new customer has no tier: the Gold-only campaign is not offered.
        assert_eq!(
            standing,
            vec![
                ("Try 5 new drinks".into(), "InProgress".into(), 2),
                ("Visit 3 times in March".into(), "Completed".into(), 3),
            ],
            "{label}"
        );
        assert_eq!(list[0]["campaign"]["id"], "try-5-drinks", "{label}");

        let page = agent
            .call(app::campaigns::api::get_campaign, &[("id", "try-5-drinks")])
            .await;
        assert_eq!(page.status(), 200, "{label}");
        assert_eq!(
            agent
                .call(app::campaigns::api::get_campaign, &[("id", "nope")])
                .await
                .status(),
            404
        );
        let unknown = agent
            .call(
                app::campaigns::api::list_customer_campaigns,
                &[("customer_id", "no-such-customer")],
            )
            .await;
        assert_eq!(unknown.status(), 404, "{label}");
        let signed_out = Console::new(&base)
            .call(
                app::campaigns::api::list_customer_campaigns,
                &[("customer_id", id.as_str())],
            )
            .await;
        assert_eq!(signed_out.status(), 401, "{label}");
    }
}
