//! The Zendesk connector and webhook against a local fake Zendesk that speaks the documented
//! search JSON: tickets fetched by requester email with API-token auth, cached, shown from the
//! cache when Zendesk is down, updated by signed webhooks.

#![allow(clippy::unwrap_used)]

use crate::common;

use crate::common::console::{spawn_with, Console};
use app::state::Config;
use app::support::webhook::signature;
use app::support::ZendeskConfig;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

const SECRET: &str = "whsec-test";

#[derive(Clone, Default)]
struct Fake {
    down: Arc<AtomicBool>,
    calls: Arc<AtomicUsize>,
}

/// `GET /api/v2/search.json`: two tickets for `requester:<email>` on two pages, 401 without
/// the right API token, 503 when "down".
async fn search(
    State(fake): State<Fake>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> (StatusCode, Json<Value>) {
    fake.calls.fetch_add(1, Ordering::SeqCst);
    if fake.down.load(Ordering::SeqCst) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"error": "down"})),
        );
    }
    // "agent@brand.test/token:api-token" in base64.
    let expected = "Basic YWdlbnRAYnJhbmQudGVzdC90b2tlbjphcGktdG9rZW4=";
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "Couldn't authenticate you"})),
        );
    }
    let page = query.get("page").cloned().unwrap_or_else(|| "1".into());
    let q = query.get("query").cloned().unwrap_or_default();
    assert!(
        page != "1" || q.starts_with("type:ticket requester:"),
        "{q}"
    );
    let host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = if page == "1" {
        json!({
            "results": [{"id": 501, "status": "open", "type": "question", "subject": "Where are my points?",
                          "created_at": "2026-11-02T09:30:00Z", "updated_at": "2026-11-02T10:00:00Z",
                          "url": "ignored", "result_type": "ticket"}],
            "next_page": format!("http://{host}/api/v2/search.json?page=2&query=x"),
            "count": 2
        })
    } else {
        json!({
            "results": [{"id": 400, "status": "solved", "type": null, "subject": "Card not working",
                          "created_at": "2026-10-01T08:00:00Z", "updated_at": "2026-10-03T08:00:00Z",
                          "result_type": "ticket"}],
            "next_page": null, "count": 2
        })
    };
    (StatusCode::OK, Json(body))
}

async fn start_fake() -> (String, Fake) {
    let fake = Fake::default();
    let app = Router::new()
        .route("/api/v2/search.json", get(search))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, fake)
}

async fn customer_zero(agent: &Console) -> (String, String) {
    let found: Value = agent
        .call(app::search::find_customer, &[("q", "CRM-00000031")])
        .await
        .json()
        .await
        .unwrap();
    let id = found["Found"].as_str().unwrap().to_string();
    let profile: Value = agent
        .call(app::customers::get_customer_profile, &[("id", &id)])
        .await
        .json()
        .await
        .unwrap();
    (id, profile["email"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn tickets_come_from_zendesk_are_cached_and_survive_an_outage() {
    let (zendesk_base, fake) = start_fake().await;
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 3).await;
    let config = Config {
        zendesk: Some(
            ZendeskConfig::new(&zendesk_base, "agent@brand.test", "api-token", None).unwrap(),
        ),
        ..Config::default()
    };
    let base = spawn_with(db.clone(), config).await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let (id, _) = customer_zero(&agent).await;

    let answer: Value = agent
        .call(app::support::get_support_tickets, &[("customer_id", &id)])
        .await
        .json()
        .await
        .unwrap();
    let tickets = answer["Tickets"]["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 2, "both pages were read: {answer}");
    assert_eq!(tickets[0]["id"], "501", "newest first");
    assert_eq!(tickets[0]["status"], "open");
    assert_eq!(
        tickets[0]["url"],
        format!("{zendesk_base}/agent/tickets/501")
    );
    assert_eq!(tickets[1]["ticket_type"], Value::Null);
    assert_eq!(fake.calls.load(Ordering::SeqCst), 2);

    // Fresh cache: Zendesk is not asked again.
    agent
        .call(app::support::get_support_tickets, &[("customer_id", &id)])
        .await;
    assert_eq!(fake.calls.load(Ordering::SeqCst), 2);

    // An old cache and Zendesk down: the cached tickets with the reason.
    sqlx::query("UPDATE support_sync SET synced_at = 0")
        .execute(db.pool())
        .await
        .unwrap();
    fake.down.store(true, Ordering::SeqCst);
    let answer: Value = agent
        .call(app::support::get_support_tickets, &[("customer_id", &id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["Tickets"]["tickets"].as_array().unwrap().len(), 2);
    assert!(
        answer["Tickets"]["stale"].as_str().unwrap().contains("503"),
        "{answer}"
    );
}

#[tokio::test]
async fn without_zendesk_the_tab_is_not_connected() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 3).await;
    let base = spawn_with(db, Config::default()).await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let (id, _) = customer_zero(&agent).await;
    let answer: Value = agent
        .call(app::support::get_support_tickets, &[("customer_id", &id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer, json!("NotConnected"));
    let webhook = reqwest::Client::new()
        .post(format!("{base}/api/v1/webhooks/zendesk"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(webhook.status(), 503);
}

#[tokio::test]
async fn signed_webhooks_update_tickets_and_bad_ones_are_refused() {
    let (zendesk_base, fake) = start_fake().await;
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 3).await;
    let config = Config {
        zendesk: Some(
            ZendeskConfig::new(
                &zendesk_base,
                "agent@brand.test",
                "api-token",
                Some(SECRET.into()),
            )
            .unwrap(),
        ),
        ..Config::default()
    };
    let base = spawn_with(db, config).await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let (id, email) = customer_zero(&agent).await;
    agent
        .call(app::support::get_support_tickets, &[("customer_id", &id)])
        .await;
    assert_eq!(fake.calls.load(Ordering::SeqCst), 2);

    let client = reqwest::Client::new();
    let post = |body: String, signature: Option<String>| {
        let mut request = client
            .post(format!("{base}/api/v1/webhooks/zendesk"))
            .header("content-type", "application/json")
            .header(
                "x-zendesk-webhook-signature-timestamp",
                "2026-11-22T10:00:00Z",
            )
            .body(body);
        if let Some(signature) = signature {
            request = request.header("x-zendesk-webhook-signature", signature);
        }
        request.send()
    };
    let notice = |status: &str, requester: &str| {
        json!({"ticket": {"id": 501, "status": status, "type": "question", "subject": "Where are my points?",
            "requester_email": requester, "created_at": "2026-11-02T09:30:00Z",
            "updated_at": "2026-11-03T09:30:00Z"}})
        .to_string()
    };

    let body = notice("solved", &email.to_uppercase());
    assert_eq!(
        post(body.clone(), None).await.unwrap().status(),
        401,
        "unsigned"
    );
    assert_eq!(
        post(body.clone(), Some("bm9wZQ==".into()))
            .await
            .unwrap()
            .status(),
        401,
        "wrong signature"
    );
    let signed = signature(SECRET, "2026-11-22T10:00:00Z", body.as_bytes());
    let stored = post(body, Some(signed)).await.unwrap();
    assert_eq!(stored.status(), 200);

    let answer: Value = agent
        .call(app::support::get_support_tickets, &[("customer_id", &id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        answer["Tickets"]["tickets"][0]["status"], "solved",
        "{answer}"
    );

    let stranger = notice("open", "nobody@nowhere.test");
    let signed = signature(SECRET, "2026-11-22T10:00:00Z", stranger.as_bytes());
    assert_eq!(post(stranger, Some(signed)).await.unwrap().status(), 202);

    let garbage = "{\"ticket\": 5}".to_string();
    let signed = signature(SECRET, "2026-11-22T10:00:00Z", garbage.as_bytes());
    assert_eq!(post(garbage, Some(signed)).await.unwrap().status(), 422);
}
