//! HTTP tests against the real router on a free port: pages, search, errors.

#![allow(clippy::unwrap_used)]

use crate::common;

use crate::common::console::{spawn, Console};

async fn spawn_app() -> (String, common::tempdir::Guard) {
    let (db, guard) = common::sqlite().await;
    common::seed(&db, 3).await;
    (spawn(db, Default::default()).await, guard)
}

#[tokio::test]
async fn the_search_page_renders_with_a_request_id_and_the_signed_in_user() {
    let (base, _guard) = spawn_app().await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let response = agent.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    let body = response.text().await.unwrap();
    assert!(body.contains("Find a customer"));
    assert!(body.contains(r#"id="global-search""#));
    assert!(body.contains("Cara Agent"));
}

#[tokio::test]
async fn an_unknown_page_answers_404() {
    let (base, _guard) = spawn_app().await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let response = agent.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn the_search_server_function_finds_by_external_id_and_reports_misses() {
    let (base, _guard) = spawn_app().await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let found = agent.call("find_customer", &[("q", "CRM-00000031")]).await;
    assert_eq!(found.status(), 200);
    let body: serde_json::Value = found.json().await.unwrap();
    let id = body["Found"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36);

    let page = agent.get(&format!("/customers/{id}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Points balance"), "{html}");

    let blank = agent.call("find_customer", &[("q", "   ")]).await;
    assert_eq!(blank.status(), 422);
    let error: serde_json::Value = blank.json().await.unwrap();
    assert_eq!(error["Validation"]["field"], "q");
}
