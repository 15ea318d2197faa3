//! What an attacker tries, on both databases where storage matters: markup in every text field
//! reaching HTML, page headers, parallel sign-in guesses, hashing floods, masked fields as
//! search filters, NUL in events and forms, formula cells in the export, forgotten bytes left
//! on disk, slow requests, and the admin page's status.

#![allow(clippy::unwrap_used)]

use crate::common;
use crate::common::console::{spawn, spawn_with, Console};
use app::state::Config;
use app::store::Db;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Markup that runs script if any page writes it out unescaped.
const NAME: &str = "</title><img src=x onerror=alert(1)>";
const SURNAME: &str = "<svg onload=alert(2)>";
const NOTE: &str = "</script><script>alert(3)</script>";
const TAG: &str = "<b onmouseover=alert(4)>vip</b>";
const STORE: &str = "<img src=y onerror=alert(5)>";
const PRODUCT: &str = "<iframe src=javascript:alert(6)>";
const ATTRIBUTE: &str = "\"><script>alert(7)</script>";
const PAYLOAD: &str = "<script>alert(8)</script>";

async fn api_key(db: &Db) -> String {
    app::api_keys::db::create(db.pool(), "tests", None, app::time::now_millis())
        .await
        .unwrap()
        .key
}

async fn post(base: &str, key: &str, body: &Value) -> (u16, Value) {
    common::post_events(base, key, body).await
}

fn event(id: &str, event_type: &str, external_id: &str, payload: Value) -> Value {
    json!({"event_id": id, "type": event_type, "occurred_at": "2026-11-20T10:00:00Z",
        "customer": {"external_id": external_id}, "store_id": "LDN-001", "payload": payload})
}

#[tokio::test]
async fn markup_in_every_text_field_reaches_every_page_escaped() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 2).await;
    let key = api_key(&db).await;
    sqlx::query("UPDATE stores SET name = $1 WHERE id = 'LDN-001'")
        .bind(STORE)
        .execute(db.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE products SET name = $1 WHERE id = 'DRK-001'")
        .bind(PRODUCT)
        .execute(db.pool())
        .await
        .unwrap();
    let base = spawn(db.clone(), Default::default()).await;
    let associate = Console::signed_in(&base, "associate@demo.test").await;
    let form = [
        ("form[first_name]", NAME),
        ("form[last_name]", SURNAME),
        ("form[external_id]", "XSS-1"),
        ("form[status_id]", "active"),
    ];
    let id = common::add_customer_from(&db, &associate, &form).await;
    let note = [("customer_id", id.as_str()), ("reason", ""), ("body", NOTE)];
    assert_eq!(
        associate.call(app::notes::add_note, &note).await.status(),
        200
    );
    sqlx::query("INSERT INTO customer_attributes (customer_id, key, value, updated_at) VALUES ($1, 'nickname', $2, 1)")
        .bind(&id)
        .bind(ATTRIBUTE)
        .execute(db.pool())
        .await
        .unwrap();
    let batch = json!({"events": [
        event("x-1", "tag_appended", "XSS-1", json!({"tag": TAG})),
        event("x-2", "purchase", "XSS-1", json!({"amount_cents": 450, "currency": "GBP",
            "items": [{"sku": "DRK-001", "qty": 1}]})),
        event("x-3", "app_session", "XSS-1", json!({"platform": PAYLOAD, "screen": PAYLOAD})),
    ]});
    let (status, report) = post(&base, &key, &batch).await;
    assert_eq!(status, 200, "{report}");

    let admin = Console::signed_in(&base, "admin@demo.test").await;
    let pages = [
        "",
        "/activity/tags",
        "/activity/purchases",
        "/profile",
        "/notes",
        "/locations",
        "/digital-properties",
        "/privacy",
    ];
    let mut escaped_title = false;
    for page in pages {
        let response = admin.get(&format!("/customers/{id}{page}")).await;
        assert_eq!(response.status(), 200, "{page}");
        let html = response.text().await.unwrap();
        for markup in [NAME, SURNAME, NOTE, TAG, STORE, PRODUCT, ATTRIBUTE, PAYLOAD] {
            // The dangerous part of each: an element or handler that would be parsed as HTML.
            let tag_start = &markup[markup.find('<').unwrap()..];
            let dangerous = &tag_start[..tag_start.find(' ').unwrap_or(tag_start.len()).min(8)];
            assert!(!html.contains(markup), "{page}: {markup:?} written out raw");
            assert!(
                !html.contains(&format!("{dangerous} ")) || dangerous == "</title",
                "{page}: {dangerous:?} appears unescaped"
            );
        }
        assert!(
            !html.contains("<img src=x") && !html.contains("<img src=y"),
            "{page}: an injected image element"
        );
        assert!(
            !html.contains("<script>alert"),
            "{page}: an injected script element"
        );
        escaped_title |= html.contains("<title>&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;");
    }
    assert!(
        escaped_title,
        "the profile's <title> holds the name escaped"
    );
    for (page, needle) in [
        ("/profile", "&lt;svg onload=alert(2)&gt;"),
        (
            "/notes",
            "&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;",
        ),
        (
            "/activity/tags",
            "&lt;b onmouseover=alert(4)&gt;vip&lt;/b&gt;",
        ),
    ] {
        let html = admin
            .get(&format!("/customers/{id}{page}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(needle),
            "{page}: the escaped text is shown: {needle}"
        );
    }
}

#[tokio::test]
async fn pages_carry_a_nonce_policy_and_personal_data_is_never_cached() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 1).await;
    let base = spawn(db.clone(), Default::default()).await;
    let admin = Console::signed_in(&base, "admin@demo.test").await;
    let page = admin.get("/search").await;
    assert_eq!(page.status(), 200);
    let headers = page.headers().clone();
    let html = page.text().await.unwrap();
    let header = |name: &str| {
        headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let policy = header("content-security-policy");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the policy names a nonce");
    assert!(nonce.len() >= 16, "{policy}");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the response's nonce"
    );
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    let scripts = policy
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(
        !scripts.contains("'unsafe-inline'") && !scripts.contains("'unsafe-eval'"),
        "{policy}"
    );
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "same-origin");
    assert_eq!(header("cache-control"), "no-store");
    let again = admin.get("/search").await;
    let other = again.headers()["content-security-policy"].to_str().unwrap();
    assert!(!other.contains(nonce), "a fresh nonce per response");

    let call = admin
        .call(app::search::find_customer, &[("q", "CRM-00000031")])
        .await;
    assert_eq!(call.headers()["cache-control"], "no-store");
    assert_eq!(call.headers()["x-content-type-options"], "nosniff");
    assert_eq!(
        call.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    let asset = admin.get("/sdk/v1/customer-profiles.js").await;
    assert!(asset
        .headers()
        .get("cache-control")
        .is_none_or(|v| v != "no-store"));

    // A page is a page whatever its path ends with (a CDN caching `.css` would keep it), and
    // a download of refused rows is personal data.
    let id: String = sqlx::query_scalar("SELECT id FROM customers LIMIT 1")
        .fetch_one(db.pool())
        .await
        .unwrap();
    for path in [
        format!("/customers/{id}/activity/x.css"),
        format!("/customers/{id}/x.js"),
        "/admin/import/no-such-import/rejections.csv".to_string(),
    ] {
        let response = admin.get(&path).await;
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    let anonymous = Console::new(&base)
        .get(&format!("/customers/{id}/activity/x.css"))
        .await;
    assert_eq!(
        anonymous.status(),
        303,
        "signed out, a page path sends to sign-in"
    );
}

#[tokio::test]
async fn parallel_wrong_passwords_lock_the_email_after_five_checks() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 1).await;
    let base = spawn(db.clone(), Default::default()).await;
    let wrong = |n: usize| {
        let base = base.clone();
        async move {
            let mut console = Console::new(&base);
            console
                .sign_in("agent@demo.test", &format!("wrong-password-{n}"))
                .await
                .status()
                .as_u16()
        }
    };
    // Parallel guesses at one email are checked one at a time; the rest are refused for load
    // without hashing, and those refusals are not failures.
    let statuses = futures::future::join_all((0..39).map(wrong)).await;
    let checked = statuses.iter().filter(|s| **s == 422).count();
    assert!(
        (1..=5).contains(&checked),
        "one at a time, at most five: {statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 39 - checked);
    let mut sequential = Vec::new();
    for n in 0..6 {
        sequential.push(wrong(100 + n).await);
    }
    let failures: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action = 'auth.sign_in_failed'")
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(
        failures.len(),
        5,
        "five checked in all: {statuses:?} {sequential:?}"
    );
    assert_eq!(sequential.last(), Some(&429), "then locked: {sequential:?}");
    let mut owner = Console::new(&base);
    let right = owner
        .sign_in("agent@demo.test", server::users::DEMO_PASSWORD)
        .await;
    assert_eq!(right.status(), 429, "the right password waits out the lock");
}

/// Signs in as `email` with the demo password from `address` `times` times, one after the
/// other; the statuses.
async fn sign_ins(base: &str, address: std::net::IpAddr, email: &str, times: usize) -> Vec<u16> {
    let mut statuses = Vec::new();
    for _ in 0..times {
        let mut console = Console::from_address(base, address);
        let answer = console.sign_in(email, server::users::DEMO_PASSWORD).await;
        statuses.push(answer.status().as_u16());
    }
    statuses
}

/// 48 clients signing in with random emails until `stop`; how many answers they got.
async fn flood(base: &str, addresses: Vec<std::net::IpAddr>, stop: std::time::Instant) -> usize {
    let clients = addresses.into_iter().map(|address| {
        let base = base.to_string();
        async move {
            let mut answers = 0;
            while std::time::Instant::now() < stop {
                let email = format!("flood-{}@nowhere.test", uuid::Uuid::new_v4().simple());
                Console::from_address(&base, address)
                    .sign_in(&email, "guess")
                    .await;
                answers += 1;
            }
            answers
        }
    });
    futures::future::join_all(clients).await.into_iter().sum()
}

#[tokio::test]
async fn an_anonymous_sign_in_flood_neither_locks_out_nor_starves_staff() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 1).await;
    let base = spawn(db.clone(), Default::default()).await;
    let supervisor = "supervisor@demo.test";
    let desk: std::net::IpAddr = "127.0.0.1".parse().unwrap();
    // The supervisor signed in from this desk before: the pair is known.
    assert_eq!(sign_ins(&base, desk, supervisor, 1).await, [200]);

    // 48 clients on 48 other addresses, then 48 on the supervisor's own network address.
    for (label, addresses) in [
        (
            "other addresses",
            (2..50)
                .map(|n| std::net::IpAddr::from([127, 0, 1, n]))
                .collect(),
        ),
        ("the same address", vec![desk; 48]),
    ] {
        let stop = std::time::Instant::now() + Duration::from_secs(4);
        let flooding = flood(&base, addresses, stop);
        let signing_in = async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            sign_ins(&base, desk, supervisor, 8).await
        };
        let (answers, statuses) = tokio::join!(flooding, signing_in);
        assert!(answers > 100, "{label}: the flood ran ({answers} answers)");
        assert_eq!(
            statuses, [200; 8],
            "{label}: every one of the supervisor's sign-ins was checked"
        );
    }

    // A newcomer (no sign-in from here before) on another address is checked during a flood
    // from elsewhere; and once the flood ends nobody is locked out.
    let newcomer: std::net::IpAddr = "127.0.2.1".parse().unwrap();
    let stop = std::time::Instant::now() + Duration::from_secs(3);
    let flooding = flood(
        &base,
        vec![std::net::IpAddr::from([127, 0, 3, 1]); 48],
        stop,
    );
    let signing_in = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        sign_ins(&base, newcomer, "agent@demo.test", 4).await
    };
    let (_, statuses) = tokio::join!(flooding, signing_in);
    assert_eq!(
        statuses, [200; 4],
        "a newcomer from another address: {statuses:?}"
    );
    let locked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_throttle WHERE locked_until IS NOT NULL")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(locked, 0, "no email is locked by refusals for load");
}

#[tokio::test]
async fn masked_fields_are_no_search_filter_and_searches_are_rate_limited() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 5).await;
    app::settings::db::set_setting(db.pool(), "search_mode", "advanced")
        .await
        .unwrap();
    let base = spawn_with(
        db.clone(),
        Config {
            searches_per_minute: Some(8),
            ..Config::default()
        },
    )
    .await;
    let associate = Console::signed_in(&base, "associate@demo.test").await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let query = |field: &'static str, value: &'static str, sort: &'static str| {
        vec![
            ("query[first]", ""),
            ("query[last]", ""),
            ("query[email]", if field == "email" { value } else { "" }),
            ("query[phone]", if field == "phone" { value } else { "" }),
            ("query[id]", ""),
            ("query[dob]", if field == "dob" { value } else { "" }),
            ("query[sort]", sort),
            ("query[size]", "25"),
            ("query[page]", "1"),
        ]
    };
    for (field, value, sort, refused_at) in [
        ("email", "a", "LastName", "email"),
        ("dob", "1980-01-01", "LastName", "dob"),
        ("phone", "+447700900123", "LastName", "phone"),
        ("email", "", "Email", "sort"),
        ("phone", "", "Phone", "sort"),
    ] {
        let form = query(field, value, sort);
        let mut form = form;
        if value.is_empty() {
            form[0] = ("query[first]", "a");
        }
        let refused = associate.call(app::search::advanced_search, &form).await;
        assert_eq!(refused.status(), 422, "{field} {sort}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["Validation"]["field"], refused_at, "{body}");
        assert!(body["Validation"]["message"]
            .as_str()
            .unwrap()
            .contains("customers.view_pii"));
        let allowed = agent.call(app::search::advanced_search, &form).await;
        assert_eq!(allowed.status(), 200, "the agent may: {field} {sort}");
    }
    // Five searches each so far against an allowance of eight per minute.
    let statuses: Vec<u16> = futures::future::join_all((0..6).map(|_| async {
        associate
            .call(app::search::find_customer, &[("q", "CRM-00000031")])
            .await
            .status()
            .as_u16()
    }))
    .await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        3,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn nul_in_an_event_refuses_that_event_only_on_both_databases() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let (base, key) = common::server_with_key(&db, 2).await;
        let batch = json!({"events": [
            event("n-1", "app_session", "CRM-00000031", json!({"platform": "iOS"})),
            event("n-2", "tag_appended", "CRM-00000031", json!({"tag": "a\u{0}b"})),
            event("n-3", "profile_updated", "CRM-00000031", json!({"favourite_drink": "x".repeat(3_000)})),
        ]});
        let (status, report) = post(&base, &key, &batch).await;
        assert_eq!(status, 207, "{label}: {report}");
        assert_eq!(report["accepted"], 1, "{label}: {report}");
        let fields: Vec<&str> = report["results"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["errors"].as_array().into_iter().flatten())
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(
            fields,
            ["payload.tag", "payload.favourite_drink"],
            "{label}: {report}"
        );
        let stored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE client_event_id = 'n-1'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(stored, 1, "{label}: the valid neighbour is stored");
    }
}

#[tokio::test]
async fn nul_in_a_form_and_undecodable_arguments_are_refused_at_the_field() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 1).await;
        let base = spawn(db.clone(), Default::default()).await;
        let admin = Console::signed_in(&base, "admin@demo.test").await;
        let form = [
            ("form[first_name]", "Ann"),
            ("form[last_name]", "Null\u{0}Byte"),
            ("form[external_id]", "NUL-1"),
            ("form[status_id]", "active"),
        ];
        let refused = admin.call(app::customers::create_customer, &form).await;
        assert_eq!(refused.status(), 422, "{label}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["Validation"]["field"], "last_name", "{label}: {body}");
        // The same form without its content type, or as another type, is refused before its
        // arguments are decoded: nothing reaches the database.
        let body = serde_urlencoded::to_string(form).unwrap();
        for content_type in [None, Some("text/plain"), Some("application/json")] {
            let refused = admin.call_raw("create_customer", &body, content_type).await;
            assert_eq!(refused.status(), 415, "{label}: {content_type:?}");
        }
        let stored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE external_id = 'NUL-1'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(stored, 0, "{label}");
        let upper = admin
            .call_raw(
                "create_customer",
                &body,
                Some("Application/X-WWW-Form-Urlencoded; charset=UTF-8"),
            )
            .await;
        assert_eq!(upper.status(), 422, "{label}: the NUL is still found");
        let malformed = admin
            .call(app::search::advanced_search, &[("query[size]", "many")])
            .await;
        assert_eq!(malformed.status(), 422, "{label}");
        let body: Value = malformed.json().await.unwrap();
        assert!(body["Validation"].is_object(), "{label}: {body}");
    }
}

#[tokio::test]
async fn the_export_holds_the_audit_trail_and_views_and_no_live_formulas() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 1).await;
    let base = spawn(db.clone(), Default::default()).await;
    let admin = Console::signed_in(&base, "admin@demo.test").await;
    let form = [
        (
            "form[first_name]",
            "=HYPERLINK(\"https://evil.test\",\"Click\")",
        ),
        ("form[last_name]", "+cmd|' /C calc'!A0"),
        ("form[email]", "before.edit@export.test"),
        ("form[external_id]", "CSV-1"),
        ("form[status_id]", "active"),
    ];
    let id = common::add_customer_from(&db, &admin, &form).await;
    assert_eq!(admin.get(&format!("/customers/{id}")).await.status(), 200);
    // Views are written together a second after the first.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let privacy = Console::signed_in(&base, "privacy@demo.test").await;
    let export = privacy
        .post(&format!("/api/v1/customers/{id}/privacy/export"))
        .await;
    assert_eq!(export.status(), 200);
    let csv = export.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for row in &rows {
        let value = &row[3];
        let formula = value.starts_with(['=', '+', '@'])
            || (value.starts_with('-') && value.parse::<f64>().is_err());
        assert!(!formula, "a live formula cell: {row:?}");
    }
    assert!(rows
        .iter()
        .any(|r| &r[2] == "first_name" && r[3].starts_with("'=HYPERLINK")));
    let sections: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert!(sections.contains(&"audit_log"), "{sections:?}");
    assert!(sections.contains(&"recent_views"), "{sections:?}");
    assert!(
        rows.iter()
            .any(|r| &r[0] == "audit_log" && r[3].contains("before.edit@export.test")),
        "the audit trail's copy of the email is exported"
    );
    assert!(
        !rows
            .iter()
            .any(|r| r[2].starts_with("actor") || &r[2] == "user_id"),
        "staff columns are left out"
    );
}

/// Whether `needle` occurs in any file of `dir` (the database, its WAL and shared memory).
fn bytes_on_disk(dir: &str, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        if bytes
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
        {
            found.push(path.display().to_string());
        }
    }
    found
}

#[tokio::test]
async fn a_forgotten_customer_leaves_no_bytes_in_the_sqlite_files() {
    let (db, guard) = common::sqlite().await;
    common::seed(&db, 2).await;
    let key = api_key(&db).await;
    let base = spawn(db.clone(), Default::default()).await;
    let admin = Console::signed_in(&base, "admin@demo.test").await;
    let needles = [
        "Ozymandias",
        "ozy.gone@forget.test",
        "ozy.earlier@forget.test",
        "+447700900444",
        "6000999988887777",
        "GONE-EXT-1",
    ];
    let form = [
        ("form[first_name]", "Ozymandias"),
        ("form[last_name]", "Kingsley"),
        ("form[email]", "ozy.earlier@forget.test"),
        ("form[phone]", "+447700900444"),
        ("form[card_number]", "6000999988887777"),
        ("form[external_id]", "GONE-EXT-1"),
        ("form[status_id]", "active"),
    ];
    let id = common::add_customer_from(&db, &admin, &form).await;
    sqlx::query("UPDATE customers SET email = 'ozy.gone@forget.test' WHERE id = $1")
        .bind(&id)
        .execute(db.pool())
        .await
        .unwrap();
    let note = [
        ("customer_id", id.as_str()),
        ("reason", ""),
        ("body", "Ozymandias called"),
    ];
    assert_eq!(admin.call(app::notes::add_note, &note).await.status(), 200);
    let (status, report) = post(
        &base,
        &key,
        &event(
            "g-1",
            "app_session",
            "GONE-EXT-1",
            json!({"platform": "iOS", "contact": "ozy.gone@forget.test"}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    let privacy = Console::signed_in(&base, "privacy@demo.test").await;
    let confirm = [("customer_id", id.as_str()), ("confirmation", "FORGET")];
    assert_eq!(
        privacy
            .call(app::privacy::forget_customer, &confirm)
            .await
            .status(),
        200
    );
    db.close().await;
    for needle in needles {
        let found = bytes_on_disk(&guard.path(), needle);
        assert!(found.is_empty(), "{needle:?} is still on disk in {found:?}");
    }
}

#[tokio::test]
async fn a_stalled_request_is_cut_off_instead_of_held_open() {
    let (db, _guard) = common::sqlite().await;
    let base = spawn(db, Default::default()).await;
    let address = base.trim_start_matches("http://").to_string();
    let stalled_body = async {
        let mut tcp = tokio::net::TcpStream::connect(&address).await.unwrap();
        tcp.write_all(
            b"POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\n\r\n{\"events\": [",
        )
        .await
        .unwrap();
        read_until_closed(&mut tcp).await
    };
    let stalled_head = async {
        let mut tcp = tokio::net::TcpStream::connect(&address).await.unwrap();
        tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        read_until_closed(&mut tcp).await
    };
    let idle = async {
        let mut tcp = tokio::net::TcpStream::connect(&address).await.unwrap();
        read_until_closed(&mut tcp).await
    };
    let (body, head, idle) = tokio::join!(stalled_body, stalled_head, idle);
    assert!(body.is_some(), "a stalled body is cut off");
    assert!(head.is_some(), "a stalled request head is cut off");
    assert!(idle.is_some(), "an idle connection is closed");
    let huge = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    let mut tcp = tokio::net::TcpStream::connect(&address).await.unwrap();
    let _ = tcp.write_all(huge.as_bytes()).await;
    let answer = read_until_closed(&mut tcp).await.unwrap_or_default();
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "an oversized head is refused: {answer:.60}"
    );
}

/// Reads until the server closes the connection (within 30 s): what it sent, or `None`
/// when it held the connection open.
async fn read_until_closed(tcp: &mut tokio::net::TcpStream) -> Option<String> {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), tcp.read_to_end(&mut answer)).await;
    match read {
        Ok(_) => Some(String::from_utf8_lossy(&answer).into_owned()),
        Err(_) => None,
    }
}

#[tokio::test]
async fn the_admin_page_answers_403_like_every_other_admin_page() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 1).await;
    let base = spawn(db, Default::default()).await;
    let associate = Console::signed_in(&base, "associate@demo.test").await;
    for page in ["/admin", "/admin/users", "/admin/settings", "/admin/audit"] {
        assert_eq!(associate.get(page).await.status(), 403, "{page}");
    }
    let admin = Console::signed_in(&base, "admin@demo.test").await;
    assert_eq!(admin.get("/admin").await.status(), 200);
}

#[tokio::test]
async fn duplicate_hints_and_taken_identifiers_are_no_oracle_past_the_search_allowance() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 5).await;
    let base = spawn_with(
        db.clone(),
        Config {
            searches_per_minute: Some(8),
            ..Config::default()
        },
    )
    .await;
    let (first, last, birth, external): (String, String, String, String) = sqlx::query_as(
        "SELECT first_name, last_name, date_of_birth, external_id FROM customers \
         WHERE date_of_birth IS NOT NULL AND first_name <> '' AND last_name <> '' LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let associate = Console::signed_in(&base, "associate@demo.test").await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    // The associate guesses the birth date right: the hint names no masked field.
    let form = [
        ("form[first_name]", first.as_str()),
        ("form[last_name]", last.as_str()),
        ("form[date_of_birth]", birth.as_str()),
        ("form[external_id]", "GUESS-1"),
        ("form[status_id]", "active"),
    ];
    let guess = common::add_customer_from(&db, &associate, &form).await;
    let hints: Value = associate
        .call(
            app::duplicates::possible_duplicates,
            &[("customer_id", guess.as_str())],
        )
        .await
        .json()
        .await
        .unwrap();
    let reasons: Vec<&str> = hints[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap())
        .collect();
    assert_eq!(reasons, vec!["HiddenDetails"], "{hints}");
    assert!(!hints.to_string().contains(&birth), "{hints}");
    let seen_by_agent: Value = agent
        .call(
            app::duplicates::possible_duplicates,
            &[("customer_id", guess.as_str())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        seen_by_agent[0]["reasons"][0][0], "NameAndBirth",
        "{seen_by_agent}"
    );

    // Add Customer with a taken identifier answers like a search, from the same allowance:
    // two calls so far (the add and the hint), six more answered, then 429.
    let taken = [
        ("form[first_name]", "Probe"),
        ("form[last_name]", "Probe"),
        ("form[external_id]", external.as_str()),
        ("form[status_id]", "active"),
    ];
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(
            associate
                .call(app::customers::create_customer, &taken)
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 200, 429, 429]);
    let searched = associate
        .call(app::search::find_customer, &[("q", "CRM-00000031")])
        .await;
    assert_eq!(
        searched.status(),
        429,
        "the search allowance is the same one"
    );
}

#[tokio::test]
async fn a_cross_site_call_is_refused_in_the_apis_json_shape_on_api_v1() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 2).await;
    let base = spawn(db.clone(), Default::default()).await;
    let officer = Console::signed_in(&base, "privacy@demo.test").await;
    let id: String = sqlx::query_scalar("SELECT id FROM customers LIMIT 1")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let export = format!("v1/customers/{id}/privacy/export");
    let refused = officer
        .call_from(&export, &[], "https://evil.example")
        .await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "cross_site", "{body}");
    let form = officer
        .call_from(
            "adjust_points",
            &[("customer_id", &id)],
            "https://evil.example",
        )
        .await;
    assert_eq!(form.status(), 403);
    assert!(form
        .text()
        .await
        .unwrap()
        .starts_with("Cross-site request refused"));
}
