//! The ingest API over HTTP on both databases: API keys, every kind of bad input, per-event
//! answers in mixed batches, idempotency (also under concurrent repeats), projections, the
//! OpenAPI document and the live stream of an open profile.

#![allow(clippy::unwrap_used)]

use crate::common;

use crate::common::console::{spawn, Console};
use app::store::Db;
use serde_json::{json, Value};

struct Api {
    base: String,
    key: String,
    client: reqwest::Client,
}

impl Api {
    async fn start(db: &Db) -> Self {
        let key = app::api_keys::db::create(db.pool(), "tests", None, app::time::now_millis())
            .await
            .unwrap()
            .key;
        let base = spawn(db.clone(), Default::default()).await;
        Self {
            base,
            key,
            client: reqwest::Client::new(),
        }
    }

    async fn post_raw(&self, key: Option<&str>, content_type: &str, body: Vec<u8>) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}/api/v1/events", self.base))
            .header("content-type", content_type)
            .body(body);
        if let Some(key) = key {
            request = request.header("x-api-key", key);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, body: &Value) -> (u16, Value) {
        self.post_raw(
            Some(&self.key),
            "application/json",
            body.to_string().into_bytes(),
        )
        .await
    }
}

async fn customer(db: &Db, n: usize) -> (String, String) {
    let external = app::customers::db::external_ids(db, 10).await.unwrap()[n].clone();
    let id = app::identity::db::owner(db, "external_id", &external)
        .await
        .unwrap()
        .unwrap();
    (external, id)
}

fn event(id: &str, event_type: &str, external: &str, payload: Value) -> Value {
    json!({"event_id": id, "type": event_type, "occurred_at": "2026-11-20T09:00:00Z",
           "customer": {"external_id": external}, "source": "pos", "payload": payload})
}

fn statuses(report: &Value) -> Vec<String> {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_string())
        .collect()
}

async fn event_count(db: &Db, customer_id: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn requests_without_a_live_key_json_or_sane_size_are_refused_with_a_clear_error() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 5).await;
        let api = Api::start(&db).await;
        let body = br#"{"events": []}"#.to_vec();
        let (status, answer) = api.post_raw(None, "application/json", body.clone()).await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (401, Some("missing_api_key")),
            "{label}"
        );
        let (status, answer) = api
            .post_raw(Some("cpk_wrong"), "application/json", body.clone())
            .await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (401, Some("invalid_api_key")),
            "{label}"
        );

        let (status, answer) = api.post_raw(Some(&api.key), "text/csv", body.clone()).await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (415, Some("unsupported_media_type")),
            "{label}"
        );

        let (status, answer) = api
            .post_raw(
                Some(&api.key),
                "application/json",
                br#"{"events": [{"type": "purchase",}]}"#.to_vec(),
            )
            .await;
        assert_eq!(status, 400, "{label}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains("line 1 column"),
            "{answer}"
        );

        let (status, answer) = api.post(&json!({"events": "purchase"})).await;
        assert_eq!(
            (status, answer["error"]["field"].as_str()),
            (422, Some("events")),
            "{label}"
        );
        let (status, _) = api.post(&json!({"events": []})).await;
        assert_eq!(status, 422, "{label}");
        let (status, _) = api.post(&json!([1, 2])).await;
        assert_eq!(status, 422, "{label}");

        let too_many = json!({"events": vec![json!({}); 1001]});
        let (status, answer) = api.post(&too_many).await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (413, Some("too_many_events")),
            "{label}"
        );
        let huge = format!(
            r#"{{"event_id": "x", "type": "purchase", "pad": "{}"}}"#,
            "x".repeat(5 << 20)
        );
        let (status, answer) = api
            .post_raw(Some(&api.key), "application/json", huge.into_bytes())
            .await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (413, Some("body_too_large")),
            "{label}"
        );

        // A revoked key stops working at once.
        let keys = app::api_keys::db::list(&db).await.unwrap();
        app::api_keys::db::revoke(db.pool(), &keys[0].id, 1)
            .await
            .unwrap();
        let (status, _) = api.post(&json!({"events": []})).await;
        assert_eq!(status, 401, "{label}");
    }
}

#[tokio::test]
async fn a_mixed_batch_keeps_every_valid_event_and_names_each_bad_field() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 5).await;
        let api = Api::start(&db).await;
        let (external, id) = customer(&db, 0).await;
        let before = app::customers::db::header(&db, &id, true)
            .await
            .unwrap()
            .unwrap();
        let spend_before = gbp_spend(&db, &id).await;
        let mut future = event("e-future", "tag_appended", &external, json!({"tag": "vip"}));
        future["occurred_at"] = json!("2099-01-01T00:00:00Z");
        let mut unknown_store = event(
            "e-store",
            "purchase",
            &external,
            json!({"amount_cents": 100, "currency": "GBP"}),
        );
        unknown_store["store_id"] = json!("NOPE-1");
        let batch = json!({"events": [
            event("e-buy", "purchase", &external, json!({"amount_cents": 1250, "currency": "GBP",
                "items": [{"sku": "DRK-001", "qty": 2}]})),
            event("e-type", "teleported", &external, json!({})),
            event("e-who", "points_earned", "NO-SUCH-CUSTOMER", json!({"points": 5})),
            future,
            event("e-amount", "purchase", &external, json!({"amount_cents": "12.50", "currency": "GBP"})),
            unknown_store,
            event("e-points", "points_earned", &external, json!({"points": 40})),
            event("e-spend", "points_used", &external, json!({"points": before.points_balance + 41})),
            event("e-tier", "tier_promoted", &external, json!({"tier": "Platinum"})),
            event("e-tag", "tag_appended", &external, json!({"tag": "vip"})),
        ]});
        let (status, report) = api.post(&batch).await;
        assert_eq!(status, 207, "{label}: {report}");
        assert_eq!(
            statuses(&report),
            [
                "accepted", "rejected", "rejected", "rejected", "rejected", "rejected", "accepted",
                "rejected", "accepted", "accepted"
            ],
            "{label}: {report}"
        );
        let field = |i: usize| {
            report["results"][i]["errors"][0]["field"]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(field(1), "type");
        assert_eq!(field(2), "customer.external_id");
        assert_eq!(field(3), "occurred_at");
        assert_eq!(field(4), "payload.amount_cents");
        assert_eq!(field(5), "store_id");
        assert_eq!(field(7), "payload.points");
        assert_eq!(
            (report["accepted"].as_u64(), report["rejected"].as_u64()),
            (Some(4), Some(6))
        );

        let after = app::customers::db::header(&db, &id, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.points_balance, before.points_balance + 40, "{label}");
        assert_eq!(after.purchase_count, before.purchase_count + 1, "{label}");
        assert_eq!(gbp_spend(&db, &id).await, spend_before + 1250, "{label}");
        assert_eq!(after.tier.as_deref(), Some("Platinum"), "{label}");
        let tag: i64 = sqlx::query_scalar(
            "SELECT count FROM customer_tags WHERE customer_id = $1 AND tag = 'vip'",
        )
        .bind(&id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(tag, 1, "{label}");
        // Enriched: the product name from the catalogue is stored with the line item.
        let page = app::events::db::page(&db, &id, &Default::default(), None, 10)
            .await
            .unwrap();
        let purchase = page
            .events
            .iter()
            .find(|e| e.event_type == "purchase" && e.summary.contains("12.50"))
            .unwrap();
        assert!(
            purchase
                .details
                .iter()
                .any(|(_, v)| v.contains("Flat white")),
            "{:?}",
            purchase.details
        );
    }
}

#[tokio::test]
async fn repeats_are_stored_once_even_when_sent_concurrently() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 5).await;
        let api = Api::start(&db).await;
        let (external, id) = customer(&db, 1).await;
        let balance = app::customers::db::header(&db, &id, true)
            .await
            .unwrap()
            .unwrap()
            .points_balance;
        let stored = event_count(&db, &id).await;
        let batch = json!({"events": [
            event("dup-1", "points_earned", &external, json!({"points": 10})),
            event("dup-2", "app_session", &external, json!({"platform": "iOS"})),
            event("dup-1", "points_earned", &external, json!({"points": 10})),
        ]});
        let (first, second) = tokio::join!(api.post(&batch), api.post(&batch));
        let all: Vec<String> = statuses(&first.1)
            .into_iter()
            .chain(statuses(&second.1))
            .collect();
        assert_eq!(
            all.iter().filter(|s| *s == "accepted").count(),
            2,
            "{label}: {all:?}"
        );
        assert_eq!(
            all.iter().filter(|s| *s == "duplicate").count(),
            4,
            "{label}: {all:?}"
        );
        let (status, again) = api.post(&batch).await;
        assert_eq!(status, 200, "{label}");
        assert_eq!(statuses(&again), ["duplicate", "duplicate", "duplicate"]);
        assert!(
            again["results"][0]["id"]
                .as_str()
                .is_some_and(|id| !id.is_empty()),
            "{again}"
        );
        assert_eq!(event_count(&db, &id).await, stored + 2, "{label}");
        let after = app::customers::db::header(&db, &id, true)
            .await
            .unwrap()
            .unwrap()
            .points_balance;
        assert_eq!(after, balance + 10, "{label}");
    }
}

#[tokio::test]
async fn a_single_event_is_answered_on_its_own_and_refused_with_422_when_bad() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 3).await;
    let api = Api::start(&db).await;
    let (external, id) = customer(&db, 2).await;
    let mut one = event(
        "single-1",
        "device_seen",
        &external,
        json!({"platform": "Android", "model": "Pixel 9", "push_enabled": true}),
    );
    one["customer"] = json!({"id": id});
    let (status, report) = api.post(&one).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["results"][0]["customer_id"], json!(id));
    let (status, report) = api
        .post(&json!({"event_id": "x", "type": "purchase"}))
        .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = report["results"][0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "occurred_at",
            "customer",
            "payload.currency",
            "payload.amount"
        ]
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_ingestible_type() {
    let (db, _guard) = common::sqlite().await;
    let api = Api::start(&db).await;
    let doc: Value = reqwest::get(format!("{}/api/v1/openapi.json", api.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    assert!(doc["paths"]["/api/v1/events"]["post"]["responses"]["207"].is_object());
    assert!(doc["components"]["schemas"]["TagAppendedEvent"].is_object());
}

#[tokio::test]
async fn an_open_profile_hears_of_a_new_event_at_once() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 3).await;
    let api = Api::start(&db).await;
    let (external, id) = customer(&db, 0).await;
    let anonymous = Console::new(&api.base)
        .get(&format!("/api/v1/customers/{id}/live"))
        .await;
    assert_eq!(anonymous.status(), 401);
    let agent = Console::signed_in(&api.base, "agent@demo.test").await;
    let mut stream = agent.get(&format!("/api/v1/customers/{id}/live")).await;
    assert_eq!(stream.status(), 200);
    assert!(stream.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let started = std::time::Instant::now();
    let (status, _) = api
        .post(&event(
            "live-1",
            "points_earned",
            &external,
            json!({"points": 3}),
        ))
        .await;
    assert_eq!(status, 200);
    let chunk = tokio::time::timeout(std::time::Duration::from_secs(1), stream.chunk())
        .await
        .expect("a change notice within a second")
        .unwrap()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&chunk).contains("data: changed"),
        "{chunk:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

#[tokio::test]
async fn an_admin_adds_a_custom_type_that_the_api_then_takes_and_the_stream_shows() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 3).await;
        let api = Api::start(&db).await;
        let (external, id) = customer(&db, 0).await;
        let survey = event(
            "s-1",
            "survey_completed",
            &external,
            json!({"score": 9, "comment": "lovely"}),
        );
        let (status, _) = api.post(&survey).await;
        assert_eq!(status, 422, "{label}: unknown before it is added");

        let agent = Console::signed_in(&api.base, "agent@demo.test").await;
        let form = [
            ("name", "survey_completed"),
            ("category", "Feedback"),
            ("summary_template", "Survey score {score}[: {comment}]"),
            ("detail_fields", "comment"),
            ("required_fields", "score"),
            ("custom", "1"),
        ];
        assert_eq!(
            agent
                .call(app::events::save_event_type, &form)
                .await
                .status(),
            403,
            "{label}"
        );
        let admin = Console::signed_in(&api.base, "admin@demo.test").await;
        let bad = [
            ("name", "Survey!"),
            ("category", "Feedback"),
            ("summary_template", "x"),
            ("detail_fields", ""),
            ("custom", "1"),
        ];
        let refused = admin.call(app::events::save_event_type, &bad).await;
        assert_eq!(refused.status(), 422, "{label}");
        assert!(
            refused.text().await.unwrap().contains("\"field\":\"name\""),
            "{label}"
        );
        assert_eq!(
            admin
                .call(app::events::save_event_type, &form)
                .await
                .status(),
            200,
            "{label}"
        );

        let (status, report) = api.post(&survey).await;
        assert_eq!(status, 200, "{label}: {report}");
        let missing = event(
            "s-2",
            "survey_completed",
            &external,
            json!({"comment": "no score"}),
        );
        let (_, report) = api.post(&missing).await;
        assert_eq!(
            report["results"][0]["errors"][0]["field"], "payload.score",
            "{label}"
        );

        let page = app::events::db::page(&db, &id, &Default::default(), None, 5)
            .await
            .unwrap();
        let shown = page
            .events
            .iter()
            .find(|e| e.event_type == "survey_completed")
            .unwrap();
        assert_eq!(shown.summary, "Survey score 9: lovely", "{label}");
        assert_eq!(
            shown.details.last(),
            Some(&("Comment".to_string(), "lovely".to_string()))
        );
        let doc: Value = reqwest::get(format!("{}/api/v1/openapi.json", api.base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            doc["components"]["schemas"]["SurveyCompletedEvent"].is_object(),
            "{label}"
        );

        // A built-in type's wording can change too; its schema cannot.
        let tier = [
            ("name", "tier_promoted"),
            ("category", "Loyalty tier"),
            ("summary_template", "Welcome to {tier}"),
            ("detail_fields", ""),
        ];
        assert_eq!(
            admin
                .call(app::events::save_event_type, &tier)
                .await
                .status(),
            200,
            "{label}"
        );
        api.post(&event(
            "t-1",
            "tier_promoted",
            &external,
            json!({"tier": "Gold"}),
        ))
        .await;
        let page = app::events::db::page(&db, &id, &Default::default(), None, 5)
            .await
            .unwrap();
        assert!(
            page.events.iter().any(|e| e.summary == "Welcome to Gold"),
            "{label}"
        );
    }
}

#[tokio::test]
async fn projections_add_up_per_customer_across_a_batch() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 4).await;
        let api = Api::start(&db).await;
        let mut events = Vec::new();
        let mut expected = Vec::new();
        for n in 0..3 {
            let (external, id) = customer(&db, n).await;
            let before = app::customers::db::header(&db, &id, true)
                .await
                .unwrap()
                .unwrap();
            for i in 0..=n {
                events.push(event(
                    &format!("p-{n}-{i}"),
                    "purchase",
                    &external,
                    json!({"amount_cents": 100 * (i + 1), "currency": "GBP"}),
                ));
                events.push(event(
                    &format!("e-{n}-{i}"),
                    "points_earned",
                    &external,
                    json!({"points": 7}),
                ));
            }
            let spend: i64 = (0..=n as i64).map(|i| 100 * (i + 1)).sum();
            let spend_before = gbp_spend(&db, &id).await;
            expected.push((
                id,
                before.purchase_count + n as i64 + 1,
                spend_before + spend,
                before.points_balance + 7 * (n as i64 + 1),
            ));
        }
        let (status, report) = api.post(&json!({ "events": events })).await;
        assert_eq!(status, 200, "{label}: {report}");
        for (id, purchases, spend, points) in expected {
            let after = app::customers::db::header(&db, &id, true)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (
                    after.purchase_count,
                    gbp_spend(&db, &id).await,
                    after.points_balance
                ),
                (purchases, spend, points),
                "{label}"
            );
            assert!(
                after
                    .last_active_at
                    .is_some_and(|at| at >= 1_795_000_000_000),
                "{label}"
            );
        }
    }
}

#[tokio::test]
async fn an_event_whose_customer_went_since_matching_is_refused_alone() {
    let (dbs, _guard) = common::each_database().await;
    // On SQLite the batch holds the one write lock from matching to commit: nobody can.
    let dbs = dbs
        .into_iter()
        .filter(|(_, db)| db.backend() == app::store::Backend::Postgres);
    for (label, db) in dbs {
        common::seed(&db, 2).await;
        let ids = app::customers::db::external_ids(&db, 2).await.unwrap();
        let kept = app::identity::db::owner(&db, "external_id", &ids[0])
            .await
            .unwrap()
            .unwrap();
        // Matched, then merged away or forgotten by another request before this batch stored.
        let gone = uuid::Uuid::now_v7().to_string();
        let now = app::time::now_millis();
        let events = [
            app::events::NewEvent::console(&kept, "note_added", now, json!({})),
            app::events::NewEvent::console(&gone, "note_added", now, json!({})),
        ];
        let rules = app::tiers::db::rules(&db).await.unwrap();
        let mut writer = db.writer().acquire().await.unwrap();
        let mut tx = sqlx::Connection::begin(&mut *writer).await.unwrap();
        let events: Vec<&app::events::NewEvent> = events.iter().collect();
        let results = app::ingest::db::store_events(&mut tx, &events, &rules, db.is_citus(), now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            results,
            vec![
                app::ingest::matching::Stored::Accepted,
                app::ingest::matching::Stored::CustomerGone
            ],
            "{label}"
        );
    }
}

/// Customer `id`'s spend less refunds in GBP (the events' currency here).
async fn gbp_spend(db: &app::store::Db, id: &str) -> i64 {
    app::customers::db::spend_by_currency(db, id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.currency == "GBP")
        .map_or(0, |t| t.spent - t.refunded)
}

#[tokio::test]
async fn money_is_kept_in_each_currencys_minor_units_and_summed_per_currency() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 2).await;
        let api = Api::start(&db).await;
        let (old, old_id) = customer(&db, 0).await;
        let (new, new_id) = customer(&db, 1).await;
        let before = app::customers::db::spend_by_currency(&db, &new_id)
            .await
            .unwrap();

        // Amounts stored before minor units: hundredths in every currency.
        let legacy = [
            ("l1", "JPY", 1_431_900),
            ("l2", "JPY", 1_431_950),
            ("l3", "KWD", 125),
        ];
        let events: Vec<Value> = legacy
            .iter()
            .map(|(id, currency, hundredths)| {
                event(
                    id,
                    "purchase",
                    &old,
                    json!({"amount_cents": hundredths, "currency": currency}),
                )
            })
            .collect();
        let (status, report) = api.post(&json!({ "events": events })).await;
        assert_eq!(status, 200, "{label}: {report}");
        let state = app::state::AppState::new(db.clone(), Default::default())
            .await
            .unwrap();
        let report = app::purchases::minor_units::run(&state).await.unwrap();
        assert_eq!(
            report.converted,
            [("JPY".to_string(), 0, 2, 1), ("KWD".to_string(), 3, 1, 0)],
            "{label}: {report}"
        );
        assert!(
            app::purchases::minor_units::run_once(&state)
                .await
                .unwrap()
                .is_none(),
            "{label}: once"
        );
        let totals = app::customers::db::spend_by_currency(&db, &old_id)
            .await
            .unwrap();
        let amount = |code: &str| totals.iter().find(|t| t.currency == code).map(|t| t.spent);
        assert_eq!(
            amount("JPY"),
            Some(14_319 + 14_320),
            "{label}: yen, rounded"
        );
        assert_eq!(amount("KWD"), Some(1_250), "{label}: fils");
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'purchases.minor_units'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 1, "{label}");

        // Today: `amount` in major units, checked against the currency's decimals.
        let events = [
            event(
                "n1",
                "purchase",
                &new,
                json!({"amount": "12.50", "currency": "GBP"}),
            ),
            event(
                "n2",
                "purchase",
                &new,
                json!({"amount": "14319", "currency": "JPY"}),
            ),
            event(
                "n3",
                "purchase",
                &new,
                json!({"amount": 1.25, "currency": "KWD"}),
            ),
            event(
                "n4",
                "refund",
                &new,
                json!({"amount": "2.50", "currency": "GBP", "order_id": "o-1"}),
            ),
        ];
        let (status, report) = api.post(&json!({ "events": events })).await;
        assert_eq!(status, 200, "{label}: {report}");
        assert_eq!(statuses(&report), ["accepted"; 4], "{label}: {report}");
        let refused = [
            (
                json!({"amount": "1.5", "currency": "JPY"}),
                "payload.amount",
                "no minor unit",
            ),
            (
                json!({"amount": "1.2345", "currency": "KWD"}),
                "payload.amount",
                "3 decimals",
            ),
            (
                json!({"amount": "1", "amount_cents": 100, "currency": "GBP"}),
                "payload.amount",
                "not both",
            ),
            (json!({"currency": "GBP"}), "payload.amount", "is required"),
            (
                json!({"amount": "1", "currency": "XYZ"}),
                "payload.currency",
                "ISO 4217",
            ),
            (
                json!({"amount": "1,000", "currency": "GBP"}),
                "payload.amount",
                "not an amount",
            ),
        ];
        for (n, (payload, field, message)) in refused.into_iter().enumerate() {
            let (status, report) = api
                .post(&event(
                    &format!("bad-{n}"),
                    "purchase",
                    &new,
                    payload.clone(),
                ))
                .await;
            let error = &report["results"][0]["errors"][0];
            assert!(
                status == 422
                    && error["field"] == field
                    && error["message"].as_str().unwrap().contains(message),
                "{label}: {payload}: {report}"
            );
        }
        let after = app::customers::db::spend_by_currency(&db, &new_id)
            .await
            .unwrap();
        let added: Vec<(String, i64, i64, i64)> = after
            .iter()
            .map(|t| {
                let was = before.iter().find(|b| b.currency == t.currency);
                (
                    t.currency.clone(),
                    t.purchases - was.map_or(0, |b| b.purchases),
                    t.spent - was.map_or(0, |b| b.spent),
                    t.refunded - was.map_or(0, |b| b.refunded),
                )
            })
            .collect();
        assert_eq!(
            added,
            [
                ("GBP".to_string(), 1, 1_250, 250),
                ("JPY".to_string(), 1, 14_319, 0),
                ("KWD".to_string(), 1, 1_250, 0),
            ],
            "{label}: each currency apart"
        );
    }
}
