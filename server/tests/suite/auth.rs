//! Sign-in, sessions, CSRF, permissions and the audit trail, over HTTP against the real router.

#![allow(clippy::unwrap_used)]

use crate::common;

use crate::common::console::{session_cookie, spawn, Console};
use app::auth::SessionPolicy;
use serde_json::Value;

async fn spawn_app(policy: SessionPolicy) -> (String, app::store::Db, common::tempdir::Guard) {
    let (db, guard) = common::sqlite().await;
    common::seed(&db, 3).await;
    (spawn(db.clone(), policy).await, db, guard)
}

async fn first_customer(console: &Console) -> String {
    let found = console
        .call(app::search::find_customer, &[("q", "CRM-00000031")])
        .await;
    let body: Value = found.json().await.unwrap();
    body["Found"].as_str().unwrap().to_string()
}

async fn audit_actions(db: &app::store::Db) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_log ORDER BY at")
        .fetch_all(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn signed_out_browsers_are_sent_to_sign_in_and_server_functions_answer_401() {
    let (base, _db, _guard) = spawn_app(SessionPolicy::default()).await;
    let anonymous = Console::new(&base);
    let page = anonymous.get("/customers/x?tab=1").await;
    assert_eq!(page.status(), 303);
    assert_eq!(
        page.headers()["location"],
        "/sign-in?next=%2Fcustomers%2Fx%3Ftab%3D1"
    );
    let call = anonymous
        .call(app::search::find_customer, &[("q", "CRM-00000031")])
        .await;
    assert_eq!(call.status(), 401);
    assert_eq!(anonymous.get("/sign-in").await.status(), 200);
}

#[tokio::test]
async fn a_signed_in_visit_to_sign_in_goes_on_to_a_safe_next_page() {
    let (base, _db, _guard) = spawn_app(SessionPolicy::default()).await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let onward = agent
        .get("/sign-in?next=%2Fsearch%3Fq%3DCRM-1&reason=expired")
        .await;
    assert_eq!(onward.status(), 303);
    assert_eq!(onward.headers()["location"], "/search?q=CRM-1");
    let foreign = agent.get("/sign-in?next=%2F%2Fevil.example").await;
    assert_eq!(foreign.headers()["location"], "/");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_secure_behind_https() {
    let (base, _db, _guard) = spawn_app(SessionPolicy::default()).await;
    let mut console = Console::new(&base);
    let response = console
        .sign_in("admin@demo.test", server::users::DEMO_PASSWORD)
        .await;
    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response).unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http must not set Secure: {cookie}"
    );

    let over_https = reqwest::Client::new()
        .post(format!("{base}/api/sign_in"))
        .header("origin", &base)
        .header("x-forwarded-proto", "https")
        .form(&[
            ("email", "admin@demo.test"),
            ("password", server::users::DEMO_PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert!(session_cookie(&over_https).unwrap().contains("Secure"));
}

#[tokio::test]
async fn wrong_passwords_do_not_reveal_accounts_and_lock_after_five_tries() {
    let (base, db, _guard) = spawn_app(SessionPolicy::default()).await;
    let mut console = Console::new(&base);
    let unknown = console
        .sign_in("nobody@demo.test", "whatever-password")
        .await;
    let wrong = console
        .sign_in("agent@demo.test", "whatever-password")
        .await;
    assert_eq!(unknown.status(), 422);
    assert_eq!(wrong.status(), 422);
    let (unknown, wrong): (Value, Value) =
        (unknown.json().await.unwrap(), wrong.json().await.unwrap());
    assert_eq!(
        unknown, wrong,
        "the same answer whether or not the email exists"
    );
    assert_eq!(
        wrong["Validation"]["message"],
        "The email or password is incorrect."
    );
    for attempt in 2..=5 {
        let response = console
            .sign_in("agent@demo.test", "whatever-password")
            .await;
        let expected = if attempt == 5 { 429 } else { 422 };
        assert_eq!(response.status(), expected, "attempt {attempt}");
    }
    let locked = console
        .sign_in("agent@demo.test", server::users::DEMO_PASSWORD)
        .await;
    assert_eq!(
        locked.status(),
        429,
        "even the right password waits out the lock"
    );
    let body: Value = locked.json().await.unwrap();
    assert!(body["RateLimited"]
        .as_str()
        .unwrap()
        .contains("locked for 15"));
    assert!(audit_actions(&db)
        .await
        .contains(&"auth.sign_in_failed".to_string()));
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let (base, db, _guard) = spawn_app(SessionPolicy::default()).await;
    let admin = Console::signed_in(&base, "admin@demo.test").await;
    let id = first_customer(&admin).await;
    let form = [
        ("customer_id", id.as_str()),
        ("points", "100"),
        ("reason", "goodwill"),
    ];
    let forged = admin
        .call_from("adjust_points", &form, "https://evil.example")
        .await;
    assert_eq!(forged.status(), 403);
    let sneaky = reqwest::Client::new()
        .post(format!("{base}/api/adjust_points"))
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(sneaky.status(), 403);
    let adjustments: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'points.adjust'")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(adjustments, 0);
    assert_eq!(
        admin
            .call(app::points::api::adjust_points, &form)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_store_associate_is_refused_points_until_an_admin_grants_them() {
    let (base, db, _guard) = spawn_app(SessionPolicy::default()).await;
    let associate = Console::signed_in(&base, "associate@demo.test").await;
    let admin = Console::signed_in(&base, "admin@demo.test").await;
    let id = first_customer(&associate).await;
    let form = [
        ("customer_id", id.as_str()),
        ("points", "50"),
        ("reason", "missing receipt"),
    ];
    let refused = associate.call(app::points::api::adjust_points, &form).await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["Forbidden"], "points.adjust");
    assert_eq!(associate.get("/admin/users").await.status(), 403);
    assert_eq!(
        associate
            .call(app::users::api::list_users, &[])
            .await
            .status(),
        403
    );

    let users: Value = admin
        .call(app::users::api::list_users, &[])
        .await
        .json()
        .await
        .unwrap();
    let associate_id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "associate@demo.test")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let granted = admin
        .call(
            app::users::api::set_user_permission,
            &[
                ("id", associate_id.as_str()),
                ("permission", "points.adjust"),
                ("granted", "true"),
            ],
        )
        .await;
    assert_eq!(granted.status(), 200);
    let allowed = associate.call(app::points::api::adjust_points, &form).await;
    assert_eq!(allowed.status(), 200, "{}", allowed.text().await.unwrap());
    let actions = audit_actions(&db).await;
    for action in ["auth.sign_in", "users.grant", "points.adjust"] {
        assert!(
            actions.contains(&action.to_string()),
            "{action} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn concurrent_adjustments_all_count_and_the_balance_never_goes_negative() {
    let (databases, _guard) = common::each_database().await;
    for (label, db) in databases {
        common::seed(&db, 3).await;
        let base = spawn(db, SessionPolicy::default()).await;
        eprintln!("{label}");
        concurrent_adjustments(&base).await;
    }
}

async fn concurrent_adjustments(base: &str) {
    let admin = std::sync::Arc::new(Console::signed_in(base, "admin@demo.test").await);
    let id = first_customer(&admin).await;
    let header = |v: Value| v["points_balance"].as_i64().unwrap();
    let before = header(
        admin
            .call(app::customers::get_customer_header, &[("id", id.as_str())])
            .await
            .json()
            .await
            .unwrap(),
    );
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (admin, id) = (admin.clone(), id.clone());
            tokio::spawn(async move {
                admin
                    .call(
                        app::points::api::adjust_points,
                        &[
                            ("customer_id", &id),
                            ("points", "10"),
                            ("reason", "load test"),
                        ],
                    )
                    .await
                    .status()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    let after = header(
        admin
            .call(app::customers::get_customer_header, &[("id", id.as_str())])
            .await
            .json()
            .await
            .unwrap(),
    );
    assert_eq!(after, before + 200);
    let too_much = format!("-{}", after + 1);
    let refused = admin
        .call(
            app::points::api::adjust_points,
            &[
                ("customer_id", &id),
                ("points", &too_much),
                ("reason", "too much"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["Validation"]["field"], "points");
    assert!(body["Validation"]["message"]
        .as_str()
        .unwrap()
        .contains("below zero"));
}

#[tokio::test]
async fn an_idle_session_expires_with_a_clear_redirect() {
    let policy = SessionPolicy {
        idle_ms: 1_000,
        absolute_ms: 60_000,
    };
    let (base, _db, _guard) = spawn_app(policy).await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    assert_eq!(agent.get("/").await.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    let page = agent.get("/").await;
    assert_eq!(page.status(), 303);
    assert_eq!(
        page.headers()["location"],
        "/sign-in?next=%2F&reason=expired"
    );
    let call = agent
        .call(app::search::find_customer, &[("q", "CRM-00000031")])
        .await;
    assert_eq!(call.status(), 401);
}
