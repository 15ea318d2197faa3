//! One way to change a customer (`app::change`): the events and audit record of a change are
//! committed together, open profiles hear of it after the commit, and side effects such as
//! mail never run while the write lock is held. Called through the services directly, on
//! both databases.

use crate::common;
use app::auth::{CurrentUser, Role};
use app::state::{AppState, Config};
use app::store::Db;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

fn admin() -> CurrentUser {
    CurrentUser {
        id: uuid::Uuid::now_v7().to_string(),
        email: "lead@brand.test".into(),
        display_name: "Team Lead".into(),
        role: Role::Admin,
        permissions: Role::Admin.permissions(),
    }
}

async fn a_customer_with_email(db: &Db) -> String {
    sqlx::query_scalar("SELECT id FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 1")
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn count(db: &Db, sql: &str, customer_id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(customer_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_sms_verification_reset_reaches_open_profiles_after_its_commit() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 3).await;
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let customer = a_customer_with_email(&db).await;
        let mut open_profile = state.live.subscribe();
        app::access::service::reset_sms(&state, &admin(), &customer)
            .await
            .unwrap();
        let told = tokio::time::timeout(Duration::from_secs(2), open_profile.recv()).await;
        assert_eq!(told.unwrap().unwrap(), customer, "{name}");
        let events = "SELECT COUNT(*) FROM events WHERE customer_id = $1 \
                      AND event_type = 'sms_verification_reset'";
        assert_eq!(count(&db, events, &customer).await, 1, "{name}");
        let audit = "SELECT COUNT(*) FROM audit_log WHERE customer_id = $1 \
                     AND action = 'access.reset_sms_verification'";
        assert_eq!(count(&db, audit, &customer).await, 1, "{name}");
    }
}

/// A minimal SMTP server that, while it holds the message, checks whether the database's
/// write lock is free (another writer gets it within a second); answers with that.
async fn smtp_server_checking_the_lock(db: Db) -> (String, tokio::task::JoinHandle<bool>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut lock_was_free = false;
        write.write_all(b"220 fake ESMTP\r\n").await.unwrap();
        while let Some(line) = lines.next_line().await.unwrap() {
            let command = line.to_ascii_uppercase();
            let answer: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                b"250 fake\r\n"
            } else if command.starts_with("DATA") {
                b"354 go ahead\r\n"
            } else if line == "." {
                let other_writer =
                    tokio::time::timeout(Duration::from_secs(1), db.begin_write()).await;
                lock_was_free = matches!(other_writer, Ok(Ok(_)));
                b"250 queued\r\n"
            } else if command.starts_with("QUIT") {
                write.write_all(b"221 bye\r\n").await.unwrap();
                break;
            } else if command.starts_with("MAIL") || command.starts_with("RCPT") {
                b"250 ok\r\n"
            } else {
                continue;
            };
            write.write_all(answer).await.unwrap();
        }
        lock_was_free
    });
    (url, handle)
}

#[tokio::test]
async fn a_password_reset_email_is_sent_while_the_database_stays_writable() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 3).await;
        let (smtp_url, server) = smtp_server_checking_the_lock(db.clone()).await;
        let mail = app::access::MailConfig::new(
            &smtp_url,
            "Brand <care@brand.test>",
            "https://brand.test/reset",
        )
        .unwrap();
        let config = Config {
            mail: Some(mail),
            ..Config::default()
        };
        let state = AppState::new(db.clone(), config).await.unwrap();
        let customer = a_customer_with_email(&db).await;
        let mut open_profile = state.live.subscribe();
        let told_agent = app::access::service::password_reset(&state, &admin(), &customer)
            .await
            .unwrap();
        assert!(
            told_agent.starts_with("Password-reset email sent to "),
            "{name}"
        );
        assert!(
            server.await.unwrap(),
            "{name}: the write lock was held while mailing"
        );
        let told = tokio::time::timeout(Duration::from_secs(2), open_profile.recv()).await;
        assert_eq!(told.unwrap().unwrap(), customer, "{name}");
        let events = "SELECT COUNT(*) FROM events WHERE customer_id = $1 \
                      AND event_type = 'password_reset_sent'";
        assert_eq!(count(&db, events, &customer).await, 1, "{name}");
    }
}

#[tokio::test]
async fn a_failed_change_writes_nothing_and_tells_nobody() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let mut open_profile = state.live.subscribe();
        let missing = uuid::Uuid::now_v7().to_string();
        let refused = app::access::service::reset_sms(&state, &admin(), &missing).await;
        assert!(
            matches!(refused, Err(app::error::AppError::NotFound(_))),
            "{name}"
        );
        assert!(open_profile.try_recv().is_err(), "{name}");
        let audit = "SELECT COUNT(*) FROM audit_log WHERE customer_id = $1";
        assert_eq!(count(&db, audit, &missing).await, 0, "{name}");
    }
}

/// Server functions that take a customer and only read (or, for the support tickets, refresh
/// a cache through a change the support tests cover), and those whose live notice another
/// test checks: the scan below fails on a customer's server function in none of the lists.
const READS: [&str; 20] = [
    "list_identifiers",
    "list_events",
    "list_purchases",
    "get_customer_locations",
    "list_notes",
    "list_offers",
    "list_rewards",
    "points_ledger",
    "get_promo_overview",
    "get_tier_summary",
    "get_privacy_overview",
    "preview_merge",
    "merge_history",
    "possible_duplicates",
    "get_digital_footprint",
    "list_customer_campaigns",
    "list_tags",
    "get_customer_analytics",
    "get_support_tickets",
    // Audits what it sends to third-party panels, but changes nothing of the customer's.
    "customer_panels",
];
/// Checked by `a_password_reset_email_is_sent_while_the_database_stays_writable` (it needs a
/// mail server).
const CHECKED_ELSEWHERE: [&str; 1] = ["send_password_reset"];

/// The test console names a server function by the function itself
/// (`common::endpoint_of`), which holds while each endpoint is its function's name.
#[test]
fn every_server_function_is_served_under_its_own_name() {
    let mut checked = 0;
    for (path, source) in app_sources() {
        assert_eq!(
            source.matches("#[server(").count(),
            source.matches("#[server(endpoint = \"").count(),
            "{path:?}: a server function without an endpoint"
        );
        for (name, rest) in endpoints(&source) {
            let declared = rest.split('(').next().unwrap_or_default();
            assert!(
                declared.ends_with(&format!("async fn {name}")),
                "{path:?}: endpoint {name} is served by another function: {declared}"
            );
            checked += 1;
        }
    }
    assert!(checked > 90, "only {checked} server functions found");
}

/// Every `#[server]` endpoint in `app/src` with a `customer_id` or `survivor_id` parameter.
fn customer_server_functions() -> Vec<String> {
    let mut found = Vec::new();
    for (_, source) in app_sources() {
        for (name, rest) in endpoints(&source) {
            let parameters = rest.split(") ->").next().unwrap_or_default();
            if parameters.contains("customer_id: String") || parameters.contains("survivor_id") {
                found.push(name.to_string());
            }
        }
    }
    found
}

/// Every file under `app/src` with its text.
fn app_sources() -> Vec<(std::path::PathBuf, String)> {
    let mut files = Vec::new();
    let mut folders = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let source = std::fs::read_to_string(&path).unwrap_or_default();
                files.push((path, source));
            }
        }
    }
    files
}

/// Each `#[server(endpoint = "…")]` of `source`: the endpoint and the text after it.
fn endpoints(source: &str) -> impl Iterator<Item = (&str, &str)> {
    source
        .split("#[server(endpoint = \"")
        .skip(1)
        .filter_map(|part| part.split_once('"'))
}

/// Waits up to two seconds for a `changed` notice on an open profile's stream, then drains
/// what else the same action sent.
async fn hears_a_change(stream: &mut reqwest::Response) -> bool {
    let heard = tokio::time::timeout(Duration::from_secs(2), async {
        while let Ok(Some(chunk)) = stream.chunk().await {
            if String::from_utf8_lossy(&chunk).contains("data: changed") {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    while let Ok(Ok(Some(_))) =
        tokio::time::timeout(Duration::from_millis(150), stream.chunk()).await
    {}
    heard
}

/// The edit version of `customer` now.
async fn version(db: &Db, customer: &str) -> String {
    sqlx::query_scalar::<_, i64>("SELECT version FROM customers WHERE id = $1")
        .bind(customer)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .to_string()
}

/// `(server function, form)` of every change to customer `id` the console makes, in an order
/// that leaves each next one something to act on; a `…version` field and an empty note `id`
/// are filled in when sent.
fn console_changes(id: &str, other: &str) -> Vec<(&'static str, Vec<(String, String)>)> {
    let form = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        std::iter::once(("customer_id".to_string(), id.to_string()))
            .chain(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
            .collect()
    };
    let first = [("kind", "email"), ("value", "live.door@example.com")];
    let second = [("kind", "email"), ("value", "second.door@example.com")];
    vec![
        ("restrict_processing", form(&[("reason", "Asked by phone")])),
        ("reinstate_processing", form(&[("reason", "Asked again")])),
        (
            "add_note",
            form(&[("reason", ""), ("body", "Called about a card")]),
        ),
        (
            "edit_note",
            form(&[
                ("id", ""),
                ("reason", ""),
                ("body", "Called about a lost card"),
            ]),
        ),
        ("delete_note", form(&[("id", "")])),
        (
            "add_note",
            form(&[("reason", ""), ("body", "Card replaced")]),
        ),
        ("add_tag", form(&[("tag", "door-test")])),
        ("reset_tag_count", form(&[("tag", "door-test")])),
        (
            "adjust_points",
            form(&[("points", "10"), ("reason", "Goodwill")]),
        ),
        ("change_status", form(&[("status_id", "watch")])),
        ("issue_offer", form(&[("offer_id", "free-drink")])),
        ("reset_promo_lockout", form(&[])),
        ("reset_sms_verification", form(&[])),
        ("add_identifier", form(&first)),
        ("add_identifier", form(&second)),
        (
            "make_identifier_primary",
            form(&[("kind", "email"), ("key", "second.door@example.com")]),
        ),
        (
            "update_customer_profile",
            vec![
                ("id".into(), id.into()),
                ("version".into(), String::new()),
                ("form[first_name]".into(), "Door".into()),
                ("form[last_name]".into(), "Test".into()),
                ("form[external_id]".into(), "DOOR-1".into()),
            ],
        ),
        (
            "remove_identifier",
            form(&[("kind", "email"), ("key", "live.door@example.com")]),
        ),
        (
            "merge_customers",
            vec![
                ("survivor_id".into(), id.into()),
                ("absorbed_id".into(), other.into()),
                ("survivor_version".into(), String::new()),
                ("absorbed_version".into(), String::new()),
            ],
        ),
    ]
}

#[tokio::test]
async fn every_change_to_a_customer_reaches_its_open_profiles() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        let (base, key) = common::server_with_key(&db, 4).await;
        let admin = common::console::Console::signed_in(&base, "admin@demo.test").await;
        let id = common::add_customer(&db, &admin, "Olive", "Open", "DOOR-1").await;
        let other = common::add_customer(&db, &admin, "Olive", "Other", "DOOR-2").await;
        // Five failed promo claims in the last hour lock the customer out (to reset below).
        let now = chrono::Utc::now();
        let claims: Vec<_> = (0..5)
            .map(|i| {
                customer_profiles_client::EventIn::new(
                    "promo_code_claim_error",
                    customer_profiles_client::CustomerRef::Id(id.clone()),
                    serde_json::json!({"code": "WELCOME10", "reason": "code already used"}),
                )
                .id(format!("door-claim-{i}"))
                .at(now - chrono::Duration::minutes(41 - i * 10))
            })
            .collect();
        assert_eq!(
            common::send_events(&base, &key, claims).await.accepted,
            5,
            "{name}"
        );
        let mut stream = admin.get(&format!("/api/v1/customers/{id}/live")).await;
        assert_eq!(stream.status(), 200, "{name}");
        let mut driven: Vec<&str> = Vec::new();
        for (function, mut form) in console_changes(&id, &other) {
            for (field, value) in form.iter_mut().filter(|(f, _)| f.ends_with("version")) {
                let whose = if field.starts_with("absorbed") {
                    &other
                } else {
                    &id
                };
                *value = version(&db, whose).await;
            }
            for (_, value) in form.iter_mut().filter(|(f, v)| f == "id" && v.is_empty()) {
                *value = sqlx::query_scalar("SELECT id FROM notes WHERE customer_id = $1")
                    .bind(&id)
                    .fetch_one(db.pool())
                    .await
                    .unwrap();
            }
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let answer = admin.call_named(function, &form).await;
            let status = answer.status();
            assert_eq!(
                status,
                200,
                "{name}: {function}: {}",
                answer.text().await.unwrap()
            );
            assert!(
                hears_a_change(&mut stream).await,
                "{name}: {function} reached no open profile"
            );
            driven.push(function);
        }
        let merge: String =
            sqlx::query_scalar("SELECT id FROM customer_merges WHERE customer_id = $1")
                .bind(&id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        let undo = admin
            .call(
                app::merge::undo_merge,
                &[("survivor_id", &id), ("merge_id", &merge)],
            )
            .await;
        assert_eq!(undo.status(), 200, "{name}");
        assert!(hears_a_change(&mut stream).await, "{name}: undo_merge");
        driven.push("undo_merge");

        // The API routes: an event, and an export (logged once written).
        let event = customer_profiles_client::EventIn::new(
            "points_earned",
            customer_profiles_client::CustomerRef::Id(id.clone()),
            serde_json::json!({"points": 5}),
        );
        assert_eq!(
            common::send_events(&base, &key, vec![event]).await.accepted,
            1
        );
        assert!(
            hears_a_change(&mut stream).await,
            "{name}: POST /api/v1/events"
        );
        let export = admin
            .post(&format!("/api/v1/customers/{id}/privacy/export"))
            .await;
        assert_eq!(export.status(), 200, "{name}");
        export.bytes().await.unwrap();
        assert!(
            hears_a_change(&mut stream).await,
            "{name}: the export's log"
        );

        let confirm = app::privacy::FORGET_CONFIRMATION;
        let forgotten = admin
            .call(
                app::privacy::forget_customer,
                &[("customer_id", &id), ("confirmation", confirm)],
            )
            .await;
        assert_eq!(forgotten.status(), 200, "{name}");
        assert!(hears_a_change(&mut stream).await, "{name}: forget_customer");
        driven.push("forget_customer");

        for function in customer_server_functions() {
            assert!(
                driven.contains(&function.as_str())
                    || READS.contains(&function.as_str())
                    || CHECKED_ELSEWHERE.contains(&function.as_str()),
                "{function} takes a customer: drive it here if it changes one, else list it \
                 in READS"
            );
        }
    }
}
