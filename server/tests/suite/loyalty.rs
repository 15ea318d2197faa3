//! The loyalty sub-tabs' server side on both databases: the points ledger's running balance
//! across pages, and tags added, counted and reset with permissions and audit.

#![allow(clippy::unwrap_used)]

use crate::common;

use crate::common::console::{spawn, Console};
use serde_json::Value;

#[tokio::test]
async fn the_ledger_runs_back_from_the_balance_across_pages() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 2).await;
        let base = spawn(db.clone(), Default::default()).await;
        let external = app::customers::db::external_ids(&db, 1).await.unwrap()[0].clone();
        let id = app::identity::db::owner(&db, "external_id", &external)
            .await
            .unwrap()
            .unwrap();
        let balance = app::customers::db::header(&db, &id, true)
            .await
            .unwrap()
            .unwrap()
            .points_balance;
        let agent = Console::signed_in(&base, "admin@demo.test").await;
        let ledger = |after: Option<(i64, String, i64)>| {
            let mut form = vec![("customer_id".to_string(), id.clone())];
            if let Some((at, event, bal)) = after {
                form.push(("after[0]".into(), at.to_string()));
                form.push(("after[1]".into(), event));
                form.push(("after[2]".into(), bal.to_string()));
            }
            form
        };
        let mut after = None;
        let mut lines: Vec<Value> = Vec::new();
        loop {
            let form = ledger(after.clone());
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let response = agent.call(app::points::points_ledger, &form).await;
            assert_eq!(response.status(), 200, "{label}");
            let page: Value = response.json().await.unwrap();
            lines.extend(page["lines"].as_array().unwrap().iter().cloned());
            match page["next"].as_array() {
                Some(next) => {
                    after = Some((
                        next[0].as_i64().unwrap(),
                        next[1].as_str().unwrap().to_string(),
                        next[2].as_i64().unwrap(),
                    ))
                }
                None => break,
            }
        }
        assert!(
            lines.len() > 50,
            "{label}: the showcase customer has more than a page"
        );
        assert_eq!(lines[0]["balance_after"].as_i64(), Some(balance), "{label}");
        for pair in lines.windows(2) {
            let (newer, older) = (&pair[0], &pair[1]);
            assert_eq!(
                older["balance_after"].as_i64().unwrap(),
                newer["balance_after"].as_i64().unwrap() - newer["points"].as_i64().unwrap(),
                "{label}"
            );
        }
        let oldest = lines.last().unwrap();
        assert_eq!(
            oldest["balance_after"].as_i64(),
            oldest["points"].as_i64(),
            "{label}: starts from zero"
        );
    }
}

#[tokio::test]
async fn tags_are_added_counted_and_reset_by_those_allowed() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 2).await;
        let base = spawn(db.clone(), Default::default()).await;
        let external = app::customers::db::external_ids(&db, 1).await.unwrap()[0].clone();
        let id = app::identity::db::owner(&db, "external_id", &external)
            .await
            .unwrap()
            .unwrap();
        let associate = Console::signed_in(&base, "associate@demo.test").await;
        assert_eq!(
            associate
                .call(app::tags::add_tag, &[("customer_id", &id), ("tag", "vip")])
                .await
                .status(),
            403,
            "{label}"
        );
        let agent = Console::signed_in(&base, "agent@demo.test").await;
        assert_eq!(
            agent
                .call(
                    app::tags::add_tag,
                    &[("customer_id", &id), ("tag", "two words")]
                )
                .await
                .status(),
            422,
            "{label}"
        );
        for _ in 0..2 {
            assert_eq!(
                agent
                    .call(
                        app::tags::add_tag,
                        &[("customer_id", &id), ("tag", " Gift-Card ")]
                    )
                    .await
                    .status(),
                200,
                "{label}"
            );
        }
        let list: Value = agent
            .call(app::tags::list_tags, &[("customer_id", &id)])
            .await
            .json()
            .await
            .unwrap();
        let gift = list["tags"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["tag"] == "gift-card")
            .cloned()
            .unwrap();
        assert_eq!(gift["count"], 2, "{label}");
        assert!(list["known"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "gift-card"));
        assert_eq!(
            associate
                .call(
                    app::tags::reset_tag_count,
                    &[("customer_id", &id), ("tag", "gift-card")]
                )
                .await
                .status(),
            403
        );
        assert_eq!(
            agent
                .call(
                    app::tags::reset_tag_count,
                    &[("customer_id", &id), ("tag", "gift-card")]
                )
                .await
                .status(),
            200
        );
        assert_eq!(
            agent
                .call(
                    app::tags::reset_tag_count,
                    &[("customer_id", &id), ("tag", "nope")]
                )
                .await
                .status(),
            404
        );
        let list: Value = agent
            .call(app::tags::list_tags, &[("customer_id", &id)])
            .await
            .json()
            .await
            .unwrap();
        let gift = list["tags"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["tag"] == "gift-card")
            .cloned()
            .unwrap();
        assert_eq!(gift["count"], 0, "{label}");
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE customer_id = $1 AND action LIKE 'tags.%'",
        )
        .bind(&id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 3, "{label}");
    }
}

#[tokio::test]
async fn an_agent_issues_an_offer_from_the_catalogue_unless_the_customer_is_restricted() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 2).await;
        let base = spawn(db.clone(), Default::default()).await;
        let external = app::customers::db::external_ids(&db, 1).await.unwrap()[0].clone();
        let id = app::identity::db::owner(&db, "external_id", &external)
            .await
            .unwrap()
            .unwrap();
        let officer = Console::signed_in(&base, "privacy@demo.test").await;
        let form = [("customer_id", id.as_str()), ("offer_id", "free-pastry")];
        assert_eq!(
            officer.call(app::offers::issue_offer, &form).await.status(),
            403,
            "{label}"
        );
        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let unknown = [("customer_id", id.as_str()), ("offer_id", "nope")];
        assert_eq!(
            agent
                .call(app::offers::issue_offer, &unknown)
                .await
                .status(),
            422,
            "{label}"
        );
        assert_eq!(
            agent.call(app::offers::issue_offer, &form).await.status(),
            200,
            "{label}"
        );
        let list: Value = agent
            .call(app::offers::list_offers, &[("customer_id", &id)])
            .await
            .json()
            .await
            .unwrap();
        let held = &list["held"][0];
        assert_eq!(
            (held["name"].as_str(), held["redeemed_at"].is_null()),
            (Some("Free pastry"), true),
            "{label}"
        );
        assert!(
            held["expires_at"].as_i64().unwrap() - held["issued_at"].as_i64().unwrap()
                == 30 * 86_400_000
        );
        let page = app::events::db::page(&db, &id, &Default::default(), None, 1)
            .await
            .unwrap();
        assert!(
            page.events[0]
                .summary
                .starts_with("Issued offer Free pastry"),
            "{label}: {:?}",
            page.events[0]
        );

        // A till's redemption of that offer marks the held one redeemed.
        let key = app::api_keys::db::create(db.pool(), "till", None, app::time::now_millis())
            .await
            .unwrap()
            .key;
        let redeemed = reqwest::Client::new()
            .post(format!("{base}/api/v1/events"))
            .header("x-api-key", key)
            .json(
                &serde_json::json!({"event_id": "redeem-1", "type": "offer_redeemed",
                "occurred_at": chrono::Utc::now().to_rfc3339(),
                "customer": {"external_id": external}, "payload": {"offer": "free PASTRY"}}),
            )
            .send()
            .await
            .unwrap();
        assert!(redeemed.status().is_success(), "{label}");
        let list: Value = agent
            .call(app::offers::list_offers, &[("customer_id", &id)])
            .await
            .json()
            .await
            .unwrap();
        assert!(
            list["held"][0]["redeemed_at"].as_i64().is_some(),
            "{label}: {list}"
        );

        let privacy = Console::signed_in(&base, "privacy@demo.test").await;
        let restrict = [("customer_id", id.as_str()), ("reason", "Request 7")];
        assert_eq!(
            privacy
                .call(app::privacy::restrict_processing, &restrict)
                .await
                .status(),
            200
        );
        let refused = agent.call(app::offers::issue_offer, &form).await;
        assert_eq!(refused.status(), 409, "{label}");
        assert!(refused.text().await.unwrap().contains("restricted"));
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE customer_id = $1 AND action = 'offers.issue'",
        )
        .bind(&id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 1, "{label}");
    }
}
