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
    let found = agent
        .call(app::search::find_customer, &[("q", "CRM-00000031")])
        .await;
    assert_eq!(found.status(), 200);
    let body: serde_json::Value = found.json().await.unwrap();
    let id = body["Found"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36);

    let search = agent.get("/search?q=CRM-00000031").await;
    assert_eq!(
        search.status(),
        302,
        "an exact match is a redirect, not a page"
    );
    assert_eq!(search.headers()["location"], format!("/customers/{id}"));

    let page = agent.get(&format!("/customers/{id}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Points balance"), "{html}");

    let blank = agent
        .call(app::search::find_customer, &[("q", "   ")])
        .await;
    assert_eq!(blank.status(), 422);
    let error: serde_json::Value = blank.json().await.unwrap();
    assert_eq!(error["Validation"]["field"], "q");
}

async fn profile(console: &Console, path: &str) -> String {
    console.get(path).await.text().await.unwrap()
}

#[tokio::test]
async fn the_organisation_time_zone_is_checked_saved_and_shown_on_pages_after_a_restart() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 3).await;
    let base = spawn(db.clone(), Default::default()).await;
    let id = app::identity::db::owner(&db, "external_id", "CRM-00000031")
        .await
        .unwrap()
        .unwrap();
    let admin = Console::signed_in(&base, "admin@demo.test").await;
    let path = format!("/customers/{id}");
    assert!(
        profile(&admin, &path).await.contains(" UTC</td>"),
        "UTC to begin with"
    );

    let unknown = admin
        .call(
            app::settings::api::set_time_zone,
            &[("time_zone", "Mars/Olympus_Mons")],
        )
        .await;
    assert_eq!(unknown.status(), 422);
    assert!(unknown.text().await.unwrap().contains("time_zone"));
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let refused = agent
        .call(
            app::settings::api::set_time_zone,
            &[("time_zone", "Europe/London")],
        )
        .await;
    assert_eq!(refused.status(), 403);

    let saved = admin
        .call(
            app::settings::api::set_time_zone,
            &[("time_zone", " America/New_York ")],
        )
        .await;
    assert_eq!(saved.status(), 200);
    let settings: serde_json::Value = saved.json().await.unwrap();
    assert_eq!(settings["time_zone"], "America/New_York");
    let page = profile(&agent, &path).await;
    assert!(!page.contains(" UTC</td>"), "no UTC times left");
    assert!(
        page.contains(" EST</td>") || page.contains(" EDT</td>"),
        "the stream's times are New York's"
    );
    assert!(
        page.contains("America/New_York"),
        "and the page tells the browser"
    );

    // A server started later reads the setting back.
    let restarted = spawn(db.clone(), Default::default()).await;
    let agent = Console::signed_in(&restarted, "agent@demo.test").await;
    let page = profile(&agent, &path).await;
    assert!(page.contains(" EST</td>") || page.contains(" EDT</td>"));
}

#[tokio::test]
async fn every_api_v1_error_answers_in_one_json_shape() {
    let (base, _guard) = spawn_app().await;
    let client = reqwest::Client::new();
    let customer = uuid::Uuid::now_v7();
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let answers = [
        (
            401,
            client
                .post(format!("{base}/api/v1/events"))
                .send()
                .await
                .unwrap(),
        ),
        (
            401,
            client
                .get(format!("{base}/api/v1/customers/{customer}/live"))
                .send()
                .await
                .unwrap(),
        ),
        (
            404,
            agent
                .post(&format!("/api/v1/customers/{customer}/privacy/export"))
                .await,
        ),
        (
            503,
            client
                .post(format!("{base}/api/v1/webhooks/zendesk"))
                .body("{}")
                .send()
                .await
                .unwrap(),
        ),
    ];
    for (status, response) in answers {
        let url = response.url().path().to_string();
        assert_eq!(response.status(), status, "{url}");
        let body: serde_json::Value = response.json().await.unwrap();
        let error = &body["error"];
        assert!(error["code"].is_string(), "{url}: {body}");
        assert!(error["message"].is_string(), "{url}: {body}");
    }
}

/// Starting a server works out the app's routes with resource loading switched off by a
/// process-wide flag; a page whose resource first polled meanwhile never finished
/// (leptos-rs/leptos#4773). Servers started while pages render must not stall them.
#[tokio::test]
async fn pages_render_while_other_servers_start() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 3).await;
    let base = spawn(db.clone(), Default::default()).await;
    let id = app::identity::db::owner(&db, "external_id", "CRM-00000031")
        .await
        .unwrap()
        .unwrap();
    let starting = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let starter = {
        let (db, starting) = (db.clone(), starting.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            while starting.load(std::sync::atomic::Ordering::Relaxed) {
                runtime.block_on(async {
                    let address = "127.0.0.1:0".parse().unwrap();
                    server::startup::Application::build(db.clone(), Default::default(), address)
                        .await
                        .unwrap();
                });
            }
        })
    };
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let path = format!("/customers/{id}");
    for _ in 0..100 {
        let page = tokio::time::timeout(std::time::Duration::from_secs(10), profile(&agent, &path))
            .await
            .expect("the profile page finished");
        assert!(page.contains("Points balance"));
    }
    starting.store(false, std::sync::atomic::Ordering::Relaxed);
    starter.join().unwrap();
}
