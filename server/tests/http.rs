//! HTTP tests against the real router on a free port.

#![allow(clippy::unwrap_used)]

mod common;

async fn spawn_app() -> (String, common::tempdir::Guard) {
    let (db, guard) = common::sqlite().await;
    common::seed(&db, 3).await;
    let app = server::startup::Application::build(db, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", app.address());
    tokio::spawn(app.run_until_stopped());
    (base, guard)
}

#[tokio::test]
async fn the_search_page_renders_with_a_request_id() {
    let (base, _guard) = spawn_app().await;
    let response = reqwest::get(format!("{base}/")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    let body = response.text().await.unwrap();
    assert!(body.contains("Find a customer"));
    assert!(body.contains(r#"id="global-search""#));
}

#[tokio::test]
async fn an_unknown_page_answers_404() {
    let (base, _guard) = spawn_app().await;
    let response = reqwest::get(format!("{base}/no/such/page")).await.unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn the_search_server_function_finds_by_external_id_and_reports_misses() {
    let (base, _guard) = spawn_app().await;
    let client = reqwest::Client::new();
    let found = client
        .post(format!("{base}/api/find_customer"))
        .form(&[("q", "CRM-00000031")])
        .send()
        .await
        .unwrap();
    assert_eq!(found.status(), 200);
    let body: serde_json::Value = found.json().await.unwrap();
    let id = body["Found"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36);

    let page = reqwest::get(format!("{base}/customers/{id}"))
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Points balance"));

    let blank = client
        .post(format!("{base}/api/find_customer"))
        .form(&[("q", "   ")])
        .send()
        .await
        .unwrap();
    assert_eq!(blank.status(), 422);
    let error: serde_json::Value = blank.json().await.unwrap();
    assert_eq!(error["Validation"]["field"], "q");
}
