//! Promo codes on both databases: five failed claims within an hour, ingested, lock the
//! customer out; an agent with promo.reset_lockout lifts it (event and audit), an associate
//! may not, and there is nothing to reset twice.

#![allow(clippy::unwrap_used)]

use crate::common;
use customer_profiles_client::{CustomerRef, EventIn};

use crate::common::console::Console;
use serde_json::{json, Value};

async fn overview(console: &Console, id: &str) -> (u16, Value) {
    let response = console
        .call(app::promo::api::get_promo_overview, &[("customer_id", id)])
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn failed_claims_lock_out_and_an_agent_resets_the_lockout() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let (base, key) = common::server_with_key(&db, 2).await;
        let external = app::customers::db::external_ids(&db, 2).await.unwrap()[1].clone();
        let id = app::identity::db::owner(&db, "external_id", &external)
            .await
            .unwrap()
            .unwrap();
        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let (status, before) = overview(&agent, &id).await;
        assert_eq!(status, 200, "{label}: {before}");
        assert!(before["lockout"]["locked_until"].is_null(), "{label}");

        // Five failed claims ten minutes apart, the last a minute ago.
        let now = chrono::Utc::now();
        let events: Vec<EventIn> = (0..5)
            .map(|i| {
                EventIn::new(
                    "promo_code_claim_error",
                    CustomerRef::ExternalId(external.clone()),
                    json!({"code": "WELCOME10", "reason": "code already used"}),
                )
                .id(format!("fail-{i}"))
                .at(now - chrono::Duration::minutes(41 - i * 10))
            })
            .collect();
        let report = common::send_events(&base, &key, events).await;
        assert_eq!(report.accepted, 5, "{label}: {report:?}");

        let (_, locked) = overview(&agent, &id).await;
        let until = locked["lockout"]["locked_until"].as_i64().expect("locked");
        let locked_at = locked["lockout"]["locked_at"].as_i64().unwrap();
        assert_eq!(until - locked_at, 24 * 3_600_000, "{label}: a day");
        assert!(locked["errors"].as_array().unwrap().len() >= 5, "{label}");
        assert_eq!(
            locked["errors"][0]["reason"], "code already used",
            "{label}"
        );

        let associate = Console::signed_in(&base, "associate@demo.test").await;
        let refused = associate
            .call(
                app::promo::api::reset_promo_lockout,
                &[("customer_id", id.as_str())],
            )
            .await;
        assert_eq!(refused.status(), 403, "{label}");
        let unknown = agent
            .call(
                app::promo::api::reset_promo_lockout,
                &[("customer_id", "no-such-customer")],
            )
            .await;
        assert_eq!(unknown.status(), 404, "{label}");

        let reset = agent
            .call(
                app::promo::api::reset_promo_lockout,
                &[("customer_id", id.as_str())],
            )
            .await;
        assert_eq!(
            reset.status(),
            200,
            "{label}: {}",
            reset.text().await.unwrap()
        );
        let (_, after) = overview(&agent, &id).await;
        assert!(
            after["lockout"]["locked_until"].is_null(),
            "{label}: {after}"
        );
        assert_eq!(after["lockout"]["recent_failures"], 0, "{label}");
        assert_eq!(after["last_reset"][1], "Cara Agent", "{label}");
        let again = agent
            .call(
                app::promo::api::reset_promo_lockout,
                &[("customer_id", id.as_str())],
            )
            .await;
        assert_eq!(again.status(), 409, "{label}");

        let (audits,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'promo.reset_lockout' AND customer_id = $1",
        )
        .bind(&id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(audits, 1, "{label}");
        let (events,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM events WHERE event_type = 'promo_lockout_reset' AND customer_id = $1",
        )
        .bind(&id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(events, 1, "{label}");
    }
}
