//! Tiers on both databases: ingested points promote at once by the tier rules (event with the
//! reason, expiry set), counting every event of the batch; the expiry job demotes a customer
//! whose qualifying points fell below their tier and leaves tiers the rules do not define
//! alone; the rules are validated per field and need settings.manage.

#![allow(clippy::unwrap_used)]

use crate::common;
use customer_profiles_client::{CustomerRef, EventIn};

use crate::common::console::{spawn, Console};
use serde_json::{json, Value};

const DAY: i64 = 86_400_000;

async fn tier_summary(agent: &Console, id: &str) -> Value {
    agent
        .call(app::tiers::api::get_tier_summary, &[("customer_id", id)])
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn points_promote_and_the_expiry_job_demotes() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let (base, key) = common::server_with_key(&db, 1).await;
        let admin = Console::signed_in(&base, "admin@demo.test").await;
        let id = common::add_customer(&db, &admin, "Tia", "Ring", "TIER-1").await;
        // Two earnings in one batch: the rules see both (they run in the batch's transaction).
        let earn = |n: u32| {
            EventIn::new(
                "points_earned",
                CustomerRef::ExternalId("TIER-1".into()),
                json!({"points": 300}),
            )
            .id(format!("earn-{n}"))
        };
        let report = common::send_events(&base, &key, vec![earn(1), earn(2)]).await;
        assert_eq!(report.accepted, 2, "{label}: {report:?}");

        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let promoted = tier_summary(&agent, &id).await;
        assert_eq!(promoted["tier"], "Silver", "{label}: {promoted}");
        assert_eq!(promoted["qualifying_points"], 600, "{label}");
        let expires = promoted["expires_at"].as_i64().unwrap();
        let since = promoted["since"].as_i64().unwrap();
        assert_eq!(expires - since, 365 * DAY, "{label}");
        let entry = &promoted["log"][0];
        assert_eq!(entry["kind"], "tier_promoted", "{label}");
        assert_eq!(entry["source"], "rules", "{label}");
        assert_eq!(
            entry["reason"],
            "600 qualifying points in the last 365 days reach the Silver threshold of 500",
            "{label}"
        );

        // A year on: the points have left the window and the tier has expired.
        let now = app::time::now_millis();
        sqlx::query("UPDATE events SET occurred_at = occurred_at - $1 WHERE customer_id = $2")
            .bind(400 * DAY)
            .bind(&id)
            .execute(db.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE customers SET tier_expires_at = $1 WHERE id = $2")
            .bind(now - 1)
            .bind(&id)
            .execute(db.pool())
            .await
            .unwrap();
        let state = app::state::AppState::new(db.clone(), Default::default())
            .await
            .unwrap();
        let mut open_profiles = state.live.subscribe();
        let changed = app::tiers::engine::expire_due(&state, now).await.unwrap();
        assert!(changed.contains(&id), "{label}");
        let told: Vec<String> = std::iter::from_fn(|| open_profiles.try_recv().ok()).collect();
        assert!(
            told.contains(&id),
            "{label}: told after the commit: {told:?}"
        );
        let demoted = tier_summary(&agent, &id).await;
        assert_eq!(demoted["tier"], "Bronze", "{label}: {demoted}");
        assert_eq!(demoted["log"][0]["kind"], "tier_demoted", "{label}");
        assert!(
            demoted["log"][0]["reason"]
                .as_str()
                .unwrap()
                .starts_with("Silver expired; 0 qualifying points"),
            "{label}: {demoted}"
        );
        assert_eq!(demoted["log"].as_array().unwrap().len(), 2, "{label}");
        // A tier another system manages is left to it, expired or not; nothing more is due.
        let other = common::add_customer(&db, &admin, "Otto", "Ther", "TIER-2").await;
        sqlx::query("UPDATE customers SET tier = 'Diamond', tier_expires_at = $1 WHERE id = $2")
            .bind(now - 1)
            .bind(&other)
            .execute(db.pool())
            .await
            .unwrap();
        assert!(app::tiers::engine::expire_due(&state, now)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(tier_summary(&agent, &other).await["tier"], "Diamond");
        let unknown = agent
            .call(
                app::tiers::api::get_tier_summary,
                &[("customer_id", "nobody")],
            )
            .await;
        assert_eq!(unknown.status(), 404, "{label}");
    }
}

#[tokio::test]
async fn tier_rules_are_validated_and_need_settings_manage() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 1).await;
    let base = spawn(db.clone(), Default::default()).await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let level = |name: &'static str, points: &'static str| {
        [
            ("name", name),
            ("threshold_points", points),
            ("benefits", "Nice things"),
        ]
    };
    assert_eq!(
        agent
            .call(app::tiers::api::save_tier_level, &level("Silver", "800"))
            .await
            .status(),
        403
    );
    let admin = Console::signed_in(&base, "admin@demo.test").await;
    for (name, points, expected) in [
        ("Silver", "3000", "below Gold"),
        ("Silver", "0", "above Bronze"),
        ("Bronze", "10", "starts at 0"),
        ("Silver", "lots", "whole number"),
    ] {
        let response = admin
            .call(app::tiers::api::save_tier_level, &level(name, points))
            .await;
        assert_eq!(response.status(), 422, "{name} {points}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains("threshold_points") && body.contains(expected),
            "{body}"
        );
    }
    let saved: Value = admin
        .call(app::tiers::api::save_tier_level, &level("Silver", "800"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(saved["levels"][1]["threshold_points"], 800);
    let settings = [
        ("system_name", "Bean Club"),
        ("window_days", "0"),
        ("validity_days", "365"),
    ];
    assert_eq!(
        admin
            .call(app::tiers::api::save_tier_settings, &settings)
            .await
            .status(),
        422
    );
    let settings = [
        ("system_name", "Bean Club"),
        ("window_days", "180"),
        ("validity_days", "365"),
    ];
    let saved: Value = admin
        .call(app::tiers::api::save_tier_settings, &settings)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (saved["system_name"].as_str(), saved["window_days"].as_i64()),
        (Some("Bean Club"), Some(180))
    );
}
