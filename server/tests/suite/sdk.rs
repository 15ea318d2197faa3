//! Publishable keys and the JavaScript SDK over HTTP on both databases: the admin form's
//! checks, CORS preflights by origin, origins and event types enforced per key, the beacon
//! path (`?key=`, `text/plain`), a secret key refused in a URL, the per-key rate limit, and the
//! SDK files themselves.

#![allow(clippy::unwrap_used)]

use crate::common;
use crate::common::console::{spawn, Console};
use app::api_keys::BrowserLimits;
use serde_json::{json, Value};

const SHOP: &str = "https://shop.example";

async fn publishable(db: &app::store::Db, per_minute: i64) -> String {
    let limits = BrowserLimits {
        event_types: vec!["app_session".into()],
        origins: vec![SHOP.into()],
        per_minute,
    };
    app::api_keys::db::create_publishable(db.pool(), "web", &limits, None, 0)
        .await
        .unwrap()
        .key
}

fn session(event_id: &str, external: &str, event_type: &str) -> Value {
    json!({"event_id": event_id, "type": event_type, "occurred_at": "2026-11-20T09:00:00Z",
           "customer": {"external_id": external}, "source": "web",
           "payload": {"platform": "web"}})
}

#[tokio::test]
async fn the_admin_form_checks_kind_types_origins_and_rate_at_their_fields() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 2).await;
        let base = spawn(db.clone(), Default::default()).await;
        let admin = Console::signed_in(&base, "admin@demo.test").await;
        let create = |form: Vec<(&'static str, &'static str)>| {
            let admin = &admin;
            async move { admin.call(app::api_keys::create_api_key, &form).await }
        };
        let field_of = |answer: Value| answer["Validation"]["field"].as_str().map(str::to_string);
        let base_form = vec![("form[name]", "Shop"), ("form[kind]", "publishable")];

        let answer = create(base_form.clone()).await;
        assert_eq!(answer.status(), 422, "{label}");
        assert_eq!(
            field_of(answer.json().await.unwrap()).as_deref(),
            Some("types")
        );

        let mut form = base_form.clone();
        form.push(("form[types][points_earned_by_magic]", "on"));
        let answer: Value = create(form).await.json().await.unwrap();
        assert_eq!(field_of(answer).as_deref(), Some("types"), "{label}");

        let mut form = base_form.clone();
        form.push(("form[types][app_session]", "on"));
        form.push(("form[origins]", "shop.example/path"));
        let answer: Value = create(form.clone()).await.json().await.unwrap();
        assert_eq!(field_of(answer).as_deref(), Some("origins"), "{label}");

        form.pop();
        form.push((
            "form[origins]",
            "https://Shop.example/\nhttp://127.0.0.1:8080",
        ));
        form.push(("form[per_minute]", "0"));
        let answer: Value = create(form.clone()).await.json().await.unwrap();
        assert_eq!(field_of(answer).as_deref(), Some("per_minute"), "{label}");

        form.pop();
        let created = create(form).await;
        assert_eq!(created.status(), 200, "{label}");
        let created: Value = created.json().await.unwrap();
        let key = created["key"].as_str().unwrap();
        assert!(key.starts_with("cpp_"), "{label}: {key}");
        assert_eq!(created["summary"]["public_key"], key, "{label}");
        assert_eq!(
            created["summary"]["origins"],
            json!(["https://shop.example", "http://127.0.0.1:8080"]),
            "{label}"
        );
        assert_eq!(created["summary"]["per_minute"], 600, "{label}");

        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let refused = agent
            .call(
                app::api_keys::create_api_key,
                &[("form[name]", "Mine"), ("form[kind]", "secret")],
            )
            .await;
        assert_eq!(refused.status(), 403, "{label}");
    }
}

#[tokio::test]
async fn a_publishable_key_sends_only_its_types_from_its_origins() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 3).await;
        let key = publishable(&db, 1000).await;
        let secret = app::api_keys::db::create(db.pool(), "server", None, 0)
            .await
            .unwrap()
            .key;
        let base = spawn(db.clone(), Default::default()).await;
        let external = app::customers::db::external_ids(&db, 3).await.unwrap()[0].clone();
        let client = reqwest::Client::new();
        let url = format!("{base}/api/v1/events");

        let preflight = |origin: &'static str| {
            client
                .request(reqwest::Method::OPTIONS, &url)
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type,x-api-key")
                .send()
        };
        let allowed = preflight(SHOP).await.unwrap();
        assert!(
            allowed.status().is_success(),
            "{label}: {}",
            allowed.status()
        );
        assert_eq!(allowed.headers()["access-control-allow-origin"], SHOP);
        let allow_headers = allowed.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase();
        assert!(allow_headers.contains("x-api-key"), "{allow_headers}");
        let foreign = preflight("https://evil.example").await.unwrap();
        assert!(
            foreign
                .headers()
                .get("access-control-allow-origin")
                .is_none(),
            "{label}: a site no key lists gets no CORS answer"
        );

        let body = json!({"events": [session("web-1", &external, "app_session"),
                                     session("web-2", &external, "points_earned")]});
        let sent = client
            .post(&url)
            .header("origin", SHOP)
            .header("x-api-key", &key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 207, "{label}");
        assert_eq!(sent.headers()["access-control-allow-origin"], SHOP);
        let report: Value = sent.json().await.unwrap();
        assert_eq!(report["results"][0]["status"], "received", "{label}");
        assert!(report["results"][0].get("customer_id").is_none(), "{label}");
        assert_eq!(report["results"][1]["status"], "rejected", "{label}");
        assert_eq!(
            report["results"][1]["errors"][0]["field"], "type",
            "{label}"
        );

        // A public key cannot test who is a customer: an unknown email gets the same answer as
        // a known customer (and nothing is stored for it); a malformed one is still refused.
        let mut unknown = session("web-unknown", &external, "app_session");
        unknown["customer"] = json!({"email": "not-a-customer@example.com"});
        let mut malformed = session("web-malformed", &external, "app_session");
        malformed["customer"] = json!({"phone": "07700 900123"});
        let sent: Value = client
            .post(&url)
            .header("origin", SHOP)
            .header("x-api-key", &key)
            .json(&json!({"events": [unknown, malformed]}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(sent["results"][0]["status"], "received", "{label}: {sent}");
        assert_eq!(sent["results"][1]["status"], "rejected", "{label}: {sent}");
        assert_eq!(
            sent["results"][1]["errors"][0]["field"], "customer.phone",
            "{label}"
        );
        let stored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE client_event_id = $1")
                .bind("web-unknown")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(stored, 0, "{label}");

        for origin in [None, Some("https://evil.example")] {
            let mut request = client.post(&url).header("x-api-key", &key).json(&body);
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            let refused = request.send().await.unwrap();
            assert_eq!(refused.status(), 403, "{label} from {origin:?}");
            let answer: Value = refused.json().await.unwrap();
            assert_eq!(answer["error"]["code"], "origin_not_allowed", "{label}");
        }

        // The beacon path: key in the URL, JSON as text/plain, no preflight.
        let beacon = json!({"events": [session("web-1", &external, "app_session"),
                                       session("web-3", &external, "app_session")]});
        let sent = client
            .post(format!("{url}?key={key}"))
            .header("origin", SHOP)
            .header("content-type", "text/plain;charset=UTF-8")
            .body(beacon.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 200, "{label}");
        let report: Value = sent.json().await.unwrap();
        assert_eq!(report["received"], 2, "{label}: {report}");
        let stored: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM events WHERE client_event_id IN ('web-1', 'web-3')",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            stored, 2,
            "{label}: web-1 again is stored once, web-3 is new"
        );

        let leaked = client
            .post(format!("{url}?key={secret}"))
            .header("content-type", "application/json")
            .body(beacon.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(leaked.status(), 401, "{label}");
        let answer: Value = leaked.json().await.unwrap();
        assert_eq!(answer["error"]["code"], "secret_key_in_url", "{label}");

        // A secret key still sends any type, without an Origin.
        let mut tag = session("srv-1", &external, "tag_appended");
        tag["payload"] = json!({"tag": "vip"});
        let (status, report) = common::post_events(&base, &secret, &tag).await;
        assert_eq!(status, 200, "{label}: {report}");
    }
}

#[tokio::test]
async fn a_publishable_key_is_held_to_its_rate_with_retry_after() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 2).await;
    let key = publishable(&db, 3).await;
    let base = spawn(db.clone(), Default::default()).await;
    let external = app::customers::db::external_ids(&db, 2).await.unwrap()[0].clone();
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for n in 0..4 {
        let response = client
            .post(format!("{base}/api/v1/events"))
            .header("origin", SHOP)
            .header("x-api-key", &key)
            .json(&session(&format!("rate-{n}"), &external, "app_session"))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
        retry_after = response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
    }
    assert_eq!(statuses, vec![200, 200, 200, 429]);
    let seconds: u64 = retry_after.unwrap().parse().unwrap();
    assert!(
        (1..=21).contains(&seconds),
        "one request refills every 20 s: {seconds}"
    );

    // Events are counted, not requests: a key allowed 3 a minute stores 3 events, whatever
    // the batches; a batch larger than a minute's worth is refused whole (413).
    let key = publishable(&db, 3).await;
    let batch = |n: usize, prefix: &str| {
        let events: Vec<Value> = (0..n)
            .map(|i| session(&format!("{prefix}-{i}"), &external, "app_session"))
            .collect();
        client
            .post(format!("{base}/api/v1/events"))
            .header("origin", SHOP)
            .header("x-api-key", &key)
            .json(&json!({ "events": events }))
            .send()
    };
    let too_big = batch(1000, "big").await.unwrap();
    assert_eq!(too_big.status(), 413);
    let answer: Value = too_big.json().await.unwrap();
    assert_eq!(answer["error"]["code"], "too_many_events", "{answer}");
    assert_eq!(batch(2, "two").await.unwrap().status(), 200);
    assert_eq!(batch(2, "more").await.unwrap().status(), 429);
    let stored: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM events WHERE client_event_id LIKE 'big-%' \
         OR client_event_id LIKE 'two-%' OR client_event_id LIKE 'more-%'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(stored, 2, "only the events within the allowance are stored");
}

#[tokio::test]
async fn the_sdk_is_served_as_a_script_and_a_module_small_and_cacheable() {
    let (db, _guard) = common::sqlite().await;
    let base = spawn(db.clone(), Default::default()).await;
    let client = reqwest::Client::new();
    for (path, marker) in [
        ("/sdk/v1/customer-profiles.js", "root.CustomerProfiles ="),
        ("/sdk/v1/customer-profiles.mjs", "export default"),
    ] {
        let response = client.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript"));
        assert_eq!(headers["access-control-allow-origin"], "*", "{path}");
        assert!(
            headers["cache-control"]
                .to_str()
                .unwrap()
                .contains("max-age"),
            "{path}"
        );
        assert!(response.text().await.unwrap().contains(marker), "{path}");
        let zipped = client
            .get(format!("{base}{path}"))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(zipped.headers()["content-encoding"], "gzip", "{path}");
        let size = zipped.bytes().await.unwrap().len();
        println!("{path}: {size} bytes gzipped");
        assert!(size < 4096, "{path} is {size} bytes gzipped; keep it small");
    }
}

/// One way an event can be sent through a publishable key: a name and the events, built for
/// one external id.
type Case = (&'static str, fn(&str, &str) -> Vec<Value>);

/// Every way an event can be refused (and the ways it is taken), each built for an identifier.
fn refusal_cases() -> Vec<Case> {
    fn with(base: Value, id: &str, event_id: &str, change: impl Fn(&mut Value)) -> Value {
        let mut event = base;
        event["event_id"] = json!(event_id);
        event["customer"] = json!({"external_id": id});
        change(&mut event);
        event
    }
    fn points(event_type: &str, points: i64) -> Value {
        json!({"type": event_type, "occurred_at": "2026-11-20T09:00:00Z", "source": "web",
               "payload": {"points": points}})
    }
    fn base() -> Value {
        session("", "", "app_session")
    }
    vec![
        ("taken", |id, n| vec![with(base(), id, n, |_| {})]),
        ("unknown store", |id, n| {
            vec![with(base(), id, n, |e| {
                e["store_id"] = json!("no-such-store")
            })]
        }),
        ("unknown sku", |id, n| {
            vec![with(base(), id, n, |e| {
                e["type"] = json!("purchase");
                e["payload"] = json!({"amount_cents": 500, "currency": "GBP",
                                      "items": [{"sku": "no-such-sku", "qty": 1}]});
            })]
        }),
        ("wrong type in payload", |id, n| {
            vec![with(base(), id, n, |e| {
                e["type"] = json!("purchase");
                e["payload"] = json!({"amount_cents": "five", "currency": "GBP"});
            })]
        }),
        ("type not allowed", |id, n| {
            vec![with(base(), id, n, |e| e["type"] = json!("tag_appended"))]
        }),
        ("bad time", |id, n| {
            vec![with(base(), id, n, |e| {
                e["occurred_at"] = json!("yesterday")
            })]
        }),
        ("points below zero", |id, n| {
            vec![with(points("points_used", 1_000_000), id, n, |_| {})]
        }),
        ("points while restricted", |id, n| {
            vec![with(points("points_earned", 5), id, n, |_| {})]
        }),
        ("repeat in the batch", |id, n| {
            vec![with(base(), id, n, |_| {}), with(base(), id, n, |_| {})]
        }),
        ("store and customer both wrong", |id, n| {
            vec![with(base(), id, n, |e| {
                e["store_id"] = json!("no-such-store");
                e["payload"] = json!({"platform": 7});
            })]
        }),
    ]
}

#[tokio::test]
async fn a_publishable_key_answers_the_same_for_a_customer_and_for_nobody() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 3).await;
        let limits = BrowserLimits {
            event_types: ["app_session", "purchase", "points_used", "points_earned"]
                .map(String::from)
                .to_vec(),
            origins: vec![SHOP.into()],
            per_minute: 10_000,
        };
        let key = app::api_keys::db::create_publishable(db.pool(), "web", &limits, None, 0)
            .await
            .unwrap()
            .key;
        let externals = app::customers::db::external_ids(&db, 3).await.unwrap();
        // One customer is restricted (GDPR art. 18): points events for them are refused.
        sqlx::query("UPDATE customers SET restricted_at = 1 WHERE external_id = $1")
            .bind(&externals[1])
            .execute(db.pool())
            .await
            .unwrap();
        let base = spawn(db.clone(), Default::default()).await;
        let client = reqwest::Client::new();
        let answer = |events: Vec<Value>| {
            let request = client
                .post(format!("{base}/api/v1/events"))
                .header("origin", SHOP)
                .header("x-api-key", &key)
                .json(&json!({ "events": events }));
            async move {
                let response = request.send().await.unwrap();
                (response.status().as_u16(), response.text().await.unwrap())
            }
        };
        for (n, (case, events_for)) in refusal_cases().into_iter().enumerate() {
            for (who, known) in [("customer", &externals[0]), ("restricted", &externals[1])] {
                let event_id = format!("oracle-{n}-{who}");
                let for_customer = answer(events_for(known, &event_id)).await;
                let for_nobody = answer(events_for("nobody-at-all-42", &event_id)).await;
                assert_eq!(
                    for_customer, for_nobody,
                    "{label}: {case} for a {who} and for nobody"
                );
            }
        }
    }
}
