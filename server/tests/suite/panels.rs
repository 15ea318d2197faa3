//! Third-party panels on both databases against a fake panel server on loopback (allowed by
//! the development setting): an answered panel (signature checked by the panel, only the
//! identifier it may be sent, markup kept as text), a slow, a failing, a malformed and a
//! redirecting one each unavailable on its own within the timeout; answers kept for their
//! cache time; every call audited; nothing sent for a restricted customer; addresses on this
//! machine, private networks and cloud metadata refused without the setting, at the form and
//! again at each call.

#![allow(clippy::unwrap_used)]

use crate::common;
use crate::common::console::{spawn, Console};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SECRET: &str = "a-panel-secret-0123456789";

/// What the fake panel server received: (path, body) of each signed request.
type Received = Arc<Mutex<Vec<(String, Value)>>>;

/// A panel server on loopback: `/good` (checks the signature), `/slow`, `/fail`, `/malformed`,
/// `/redirect` (to the cloud metadata address).
async fn fake_panels() -> (String, Received) {
    let received: Received = Arc::default();
    let log = received.clone();
    let good = move |headers: HeaderMap, body: Bytes| {
        let log = log.clone();
        async move {
            let timestamp = headers["x-customer-profiles-timestamp"].to_str().unwrap();
            let expected = app::support::webhook::signature(SECRET, timestamp, &body);
            if headers["x-customer-profiles-signature"].to_str().unwrap() != expected {
                return (StatusCode::UNAUTHORIZED, String::new());
            }
            log.lock()
                .unwrap()
                .push(("good".into(), serde_json::from_slice(&body).unwrap()));
            let answer = json!({"title": "This week", "metrics": [
                {"label": "<script>alert(1)</script>Mentions", "value": 42, "trend": "up",
                 "link": "https://listen.example/m"},
                {"label": "Sentiment", "value": "Positive", "link": "javascript:alert(1)"}]});
            (StatusCode::OK, answer.to_string())
        }
    };
    let app = axum::Router::new()
        .route("/good", post(good))
        .route(
            "/slow",
            post(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                "{\"metrics\": []}"
            }),
        )
        .route(
            "/fail",
            post(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "no") }),
        )
        .route("/malformed", post(|| async { "<html>not json</html>" }))
        .route(
            "/redirect",
            post(|| async {
                (
                    StatusCode::FOUND,
                    [("location", "http://169.254.169.254/latest/meta-data")],
                    "",
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, received)
}

fn form<'a>(
    title: &'a str,
    url: &'a str,
    sends: &'a str,
    timeout: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("form[title]", title),
        ("form[url]", url),
        ("form[sends]", sends),
        ("form[secret]", SECRET),
        ("form[timeout_ms]", timeout),
        ("form[cache_seconds]", "300"),
        ("form[active]", "on"),
    ]
}

#[tokio::test]
async fn the_form_refuses_private_addresses_until_development_allows_them_and_audits() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 2).await;
        let base = spawn(db.clone(), Default::default()).await;
        let admin = Console::signed_in(&base, "admin@demo.test").await;
        for url in [
            "http://listen.example/panel",
            "https://127.0.0.1:9/panel",
            "https://169.254.169.254/latest/meta-data",
            "https://[::ffff:192.168.0.1]/",
            "https://user:pw@listen.example/",
        ] {
            let answer = admin
                .call(
                    app::panels::save_panel,
                    &form("Listening", url, "none", "1500"),
                )
                .await;
            assert_eq!(answer.status(), 422, "{label} {url}");
            let answer: Value = answer.json().await.unwrap();
            assert_eq!(answer["Validation"]["field"], "url", "{label} {url}");
        }
        let too_slow = admin
            .call(
                app::panels::save_panel,
                &form("Listening", "https://listen.example/p", "none", "5000"),
            )
            .await;
        assert_eq!(too_slow.status(), 422, "{label}: at most 2 s");

        let allowed = admin
            .call(app::panels::set_panels_allow_private, &[("allow", "true")])
            .await;
        assert_eq!(allowed.status(), 200, "{label}");
        let saved = admin
            .call(
                app::panels::save_panel,
                &form("Listening", "http://127.0.0.1:9/panel", "email", "1500"),
            )
            .await;
        assert_eq!(saved.status(), 200, "{label}");
        let listed = admin
            .call(app::panels::list_panels, &[])
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !listed.contains(SECRET),
            "{label}: the secret is never sent back"
        );
        let id: String = saved.json().await.unwrap();
        let seen: i64 = sqlx::query_scalar("SELECT updated_at FROM panels WHERE id = $1")
            .bind(&id)
            .fetch_one(db.pool())
            .await
            .unwrap();
        let seen = seen.to_string();
        let mut edit = form("Listening", "http://127.0.0.1:9/panel", "email", "900");
        edit.retain(|(name, _)| *name != "form[secret]");
        edit.extend([("form[id]", id.as_str()), ("form[seen]", seen.as_str())]);
        let edited = admin.call(app::panels::save_panel, &edit).await;
        assert_eq!(
            edited.status(),
            200,
            "{label}: an edit keeps the secret it does not give"
        );
        let stale = admin.call(app::panels::save_panel, &edit).await;
        assert_eq!(
            stale.status(),
            409,
            "{label}: an edit of what changed since is refused"
        );
        let secret: String = sqlx::query_scalar("SELECT secret FROM panels WHERE id = $1")
            .bind(&id)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(secret, SECRET, "{label}");

        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let refused = agent.call(app::panels::list_panels, &[]).await;
        assert_eq!(refused.status(), 403, "{label}");
        let refused = agent
            .call(app::panels::set_panels_allow_private, &[("allow", "true")])
            .await;
        assert_eq!(refused.status(), 403, "{label}");

        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE action LIKE 'panels.%' ORDER BY action",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(
            actions,
            ["panels.add", "panels.allow_private", "panels.update"],
            "{label}"
        );
    }
}

#[tokio::test]
async fn a_profile_shows_each_panel_answered_or_unavailable_within_its_timeout() {
    let (panels, received) = fake_panels().await;
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        received.lock().unwrap().clear();
        common::seed(&db, 2).await;
        let base = spawn(db.clone(), Default::default()).await;
        let admin = Console::signed_in(&base, "admin@demo.test").await;
        admin
            .call(app::panels::set_panels_allow_private, &[("allow", "true")])
            .await;
        for (title, path) in [
            ("A good", "good"),
            ("B slow", "slow"),
            ("C failing", "fail"),
            ("D malformed", "malformed"),
            ("E redirecting", "redirect"),
        ] {
            let url = format!("{panels}/{path}");
            let saved = admin
                .call(
                    app::panels::save_panel,
                    &form(title, &url, "external_id", "800"),
                )
                .await;
            assert_eq!(saved.status(), 200, "{label} {title}");
        }
        let (customer_id, external): (String, String) =
            sqlx::query_as("SELECT id, external_id FROM customers ORDER BY id LIMIT 1")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let asked = [("customer_id", customer_id.as_str())];
        let ask = || agent.call(app::panels::customer_panels, &asked);

        let started = Instant::now();
        let views: Value = ask().await.json().await.unwrap();
        assert!(
            started.elapsed() < Duration::from_millis(1_800),
            "{label}: {:?}",
            started.elapsed()
        );
        let views = views.as_array().unwrap();
        let good = &views[0]["answer"]["Ok"];
        assert_eq!(
            good["metrics"][0]["label"], "<script>alert(1)</script>Mentions",
            "{label}: text, escaped by the page"
        );
        assert_eq!(good["metrics"][0]["value"], "42");
        assert_eq!(
            good["metrics"][1]["link"],
            Value::Null,
            "{label}: no javascript: links"
        );
        for (i, why) in [
            (1, "within 800 ms"),
            (2, "answered 500"),
            (3, "not JSON"),
            (4, "answered 302"),
        ] {
            let error = views[i]["answer"]["Err"].as_str().unwrap_or_default();
            assert!(
                error.contains(why),
                "{label} {}: {error}",
                views[i]["title"]
            );
        }
        let sent = received.lock().unwrap().clone();
        assert_eq!(
            sent.len(),
            1,
            "{label}: the good panel was called once, signed"
        );
        assert_eq!(
            sent[0].1["customer"],
            json!({"external_id": external}),
            "{label}: only what it may be sent"
        );
        assert!(
            !sent[0].1.to_string().contains(&customer_id),
            "{label}: never our id"
        );

        ask().await;
        assert_eq!(
            received.lock().unwrap().len(),
            1,
            "{label}: the answer is kept for its cache time"
        );
        let calls: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'panels.call' AND customer_id = $1",
        )
        .bind(&customer_id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            calls,
            5 + 4,
            "{label}: every call audited (kept answers are not calls)"
        );

        sqlx::query("UPDATE customers SET restricted_at = 1 WHERE id = $1")
            .bind(&customer_id)
            .execute(db.pool())
            .await
            .unwrap();
        let restricted: Value = ask().await.json().await.unwrap();
        assert!(
            restricted[0]["answer"]["Err"]
                .as_str()
                .unwrap()
                .contains("restricted"),
            "{label}"
        );
        assert_eq!(
            received.lock().unwrap().len(),
            1,
            "{label}: nothing sent for a restricted customer"
        );
    }
}

#[tokio::test]
async fn turning_development_off_stops_calls_to_private_addresses_already_saved() {
    let (panels, received) = fake_panels().await;
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 2).await;
    let base = spawn(db.clone(), Default::default()).await;
    let admin = Console::signed_in(&base, "admin@demo.test").await;
    admin
        .call(app::panels::set_panels_allow_private, &[("allow", "true")])
        .await;
    let url = format!("{panels}/good");
    admin
        .call(
            app::panels::save_panel,
            &form("Listening", &url, "none", "800"),
        )
        .await;
    admin
        .call(app::panels::set_panels_allow_private, &[("allow", "false")])
        .await;
    let customer_id: String = sqlx::query_scalar("SELECT id FROM customers LIMIT 1")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let views: Value = admin
        .call(
            app::panels::customer_panels,
            &[("customer_id", customer_id.as_str())],
        )
        .await
        .json()
        .await
        .unwrap();
    let error = views[0]["answer"]["Err"].as_str().unwrap();
    assert!(
        error.contains("https://") || error.contains("private"),
        "{error}"
    );
    assert!(
        received.lock().unwrap().is_empty(),
        "the server called nothing"
    );
}
