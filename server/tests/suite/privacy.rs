//! Data privacy on both databases: forgetting a fully populated customer leaves no trace in
//! any table (found from the database catalogue), restriction refuses points, tier and offer
//! events (counted) until reinstated, and the export holds every section and parses back.

#![allow(clippy::unwrap_used)]

use crate::common;

use crate::common::console::{spawn, Console};
use app::store::{Backend, Db};
use serde_json::{json, Value};
use sqlx::{Column, Row};

const NEEDLES: [&str; 6] = [
    "Zebediah",
    "Quuxworth",
    "zeb.quux@forget.test",
    "+447700900987",
    "6000111122223333",
    "FORGET-ME-1",
];

struct Setup {
    base: String,
    key: String,
    admin: Console,
    id: String,
}

async fn setup(db: &Db) -> Setup {
    common::seed(db, 3).await;
    let key = app::api_keys::db::create(db.pool(), "tests", None, app::time::now_millis())
        .await
        .unwrap()
        .key;
    let base = spawn(db.clone(), Default::default()).await;
    let admin = Console::signed_in(&base, "admin@demo.test").await;
    let form = [
        ("form[first_name]", "Zebediah"),
        ("form[last_name]", "Quuxworth"),
        ("form[email]", "zeb.quux@forget.test"),
        ("form[phone]", "+447700900987"),
        ("form[card_number]", "6000111122223333"),
        ("form[external_id]", "FORGET-ME-1"),
        ("form[date_of_birth]", "1980-02-03"),
        ("form[address_line]", "1 Quuxworth Lane"),
        ("form[city]", "Leeds"),
        ("form[postal_code]", "LS1 1AA"),
        ("form[country]", "GB"),
        ("form[status_id]", "active"),
        ("form[email_opt_in]", "on"),
    ];
    let created = admin.call(app::customers::create_customer, &form).await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());
    let id = app::identity::db::owner(db, "external_id", "FORGET-ME-1")
        .await
        .unwrap()
        .unwrap();
    Setup {
        base,
        key,
        admin,
        id,
    }
}

async fn send(setup: &Setup, event_id: &str, event_type: &str, payload: Value) -> Value {
    let body = json!({"event_id": event_id, "type": event_type, "occurred_at": "2026-11-20T10:00:00Z",
        "customer": {"external_id": "FORGET-ME-1"}, "store_id": "LDN-001", "payload": payload});
    reqwest::Client::new()
        .post(format!("{}/api/v1/events", setup.base))
        .header("x-api-key", &setup.key)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Every table of the schema, from the catalogue.
async fn tables(db: &Db) -> Vec<String> {
    let sql = match db.backend() {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
        Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_type = 'BASE TABLE'"
        }
    };
    sqlx::query_scalar(sql).fetch_all(db.pool()).await.unwrap()
}

/// `table.column` where any needle (or the customer id) still appears.
async fn traces(db: &Db, id: &str) -> Vec<String> {
    let mut needles: Vec<&str> = NEEDLES.to_vec();
    needles.push(id);
    text_traces(db, &needles).await
}

/// `table.column` of every table (from the catalogue) where any of `needles` appears, in any
/// case.
pub async fn text_traces(db: &Db, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let tables = tables(db).await;
    assert!(
        tables.len() >= 15,
        "the catalogue lists the schema: {tables:?}"
    );
    // sqlx's own bookkeeping (migration scripts and checksums) holds no customer data, and its
    // timestamp column is a type the Any driver cannot read.
    for table in tables.into_iter().filter(|t| t != "_sqlx_migrations") {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(db.pool())
            .await
            .unwrap();
        for row in &rows {
            for column in row.columns() {
                let i = column.ordinal();
                let Some(text) = row.try_get::<Option<String>, _>(i).ok().flatten() else {
                    continue;
                };
                let lower = text.to_lowercase();
                if needles.iter().any(|n| lower.contains(&n.to_lowercase())) {
                    found.push(format!("{table}.{}", column.name()));
                }
            }
        }
    }
    found
}

#[tokio::test]
async fn forgetting_a_fully_populated_customer_leaves_nothing_in_any_table() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let setup = setup(&db).await;
        let id = setup.id.clone();
        for (n, (event_type, payload)) in [
            ("purchase", json!({"amount_cents": 450, "currency": "GBP", "items": [{"sku": "DRK-001", "qty": 1}]})),
            ("points_earned", json!({"points": 45, "reason": "purchase"})),
            ("tag_appended", json!({"tag": "coffee-lover"})),
            ("device_seen", json!({"platform": "iOS", "model": "iPhone of Zebediah"})),
            ("app_session", json!({"platform": "iOS", "contact": "zeb.quux@forget.test"})),
        ]
        .into_iter()
        .enumerate()
        {
            let report = send(&setup, &format!("f-{n}"), event_type, payload).await;
            assert_eq!(report["accepted"], 1, "{label}: {report}");
        }
        let note = [
            ("customer_id", id.as_str()),
            ("reason", ""),
            ("body", "Zebediah called about his card"),
        ];
        assert_eq!(
            setup.admin.call(app::notes::add_note, &note).await.status(),
            200,
            "{label}"
        );
        let offer = [("customer_id", id.as_str()), ("offer_id", "free-drink")];
        assert_eq!(
            setup
                .admin
                .call(app::offers::issue_offer, &offer)
                .await
                .status(),
            200,
            "{label}"
        );
        let restrict = [
            ("customer_id", id.as_str()),
            ("reason", "Zebediah Quuxworth asked by email"),
        ];
        assert_eq!(
            setup
                .admin
                .call(app::privacy::restrict_processing, &restrict)
                .await
                .status(),
            200,
            "{label}"
        );
        sqlx::query(
            "INSERT INTO support_tickets (id, customer_id, status, ticket_type, subject, submitted_at, updated_at) \
             VALUES ('zd-1', $1, 'open', 'question', 'Card for Zebediah Quuxworth', 1, 1)",
        )
        .bind(&id)
        .execute(db.pool())
        .await
        .unwrap();
        sqlx::query("INSERT INTO customer_attributes (customer_id, key, value, updated_at) VALUES ($1, 'nickname', 'Zeb Quuxworth', 1)")
            .bind(&id)
            .execute(db.pool())
            .await
            .unwrap();
        assert!(
            !traces(&db, &id).await.is_empty(),
            "{label}: the scan finds the customer before"
        );

        let before = app::privacy::db::log(&db, &Default::default(), &Default::default())
            .await
            .unwrap();
        assert_eq!(
            before.requests[0].customer_name.as_deref(),
            Some("Zebediah Quuxworth"),
            "{label}: the log names whom a request was for"
        );
        let wrong = [("customer_id", id.as_str()), ("confirmation", "forget")];
        let refused = setup
            .admin
            .call(app::privacy::forget_customer, &wrong)
            .await;
        assert_eq!(refused.status(), 422, "{label}");
        let agent = Console::signed_in(&setup.base, "associate@demo.test").await;
        let confirm = [("customer_id", id.as_str()), ("confirmation", "FORGET")];
        assert_eq!(
            agent
                .call(app::privacy::forget_customer, &confirm)
                .await
                .status(),
            403,
            "{label}"
        );
        let privacy = Console::signed_in(&setup.base, "privacy@demo.test").await;
        let done = privacy.call(app::privacy::forget_customer, &confirm).await;
        assert_eq!(done.status(), 200, "{label}");
        let summary = done.text().await.unwrap();
        assert!(
            // The seven sent, and the tier rules' promotion to the entry tier.
            summary.contains("events: 8")
                && summary.contains("notes: 1")
                && summary.contains("customer_offers: 1"),
            "{label}: {summary}"
        );

        assert_eq!(
            traces(&db, &id).await,
            Vec::<String>::new(),
            "{label}: traces after forgetting"
        );
        let log = app::privacy::db::log(&db, &Default::default(), &Default::default())
            .await
            .unwrap();
        let kinds: Vec<(&str, bool)> = log
            .requests
            .iter()
            .map(|r| {
                let tombstone = r.customer_id.is_none() && r.customer_name.is_none();
                (r.request_type.as_str(), tombstone)
            })
            .collect();
        assert_eq!(
            kinds,
            [("forget", true), ("restrict", true)],
            "{label}: tombstones only"
        );
        let late = send(
            &setup,
            "f-late",
            "purchase",
            json!({"amount_cents": 100, "currency": "GBP"}),
        )
        .await;
        assert_eq!(
            late["results"][0]["errors"][0]["field"], "customer.external_id",
            "{label}: {late}"
        );
    }
}

#[tokio::test]
async fn a_restricted_customer_gets_no_points_tiers_or_offers_until_reinstated() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let setup = setup(&db).await;
        let id = setup.id.clone();
        let privacy = Console::signed_in(&setup.base, "privacy@demo.test").await;
        let no_reason = [("customer_id", id.as_str()), ("reason", " ")];
        assert_eq!(
            privacy
                .call(app::privacy::restrict_processing, &no_reason)
                .await
                .status(),
            422,
            "{label}"
        );
        let restrict = [("customer_id", id.as_str()), ("reason", "Request 42")];
        assert_eq!(
            privacy
                .call(app::privacy::restrict_processing, &restrict)
                .await
                .status(),
            200,
            "{label}"
        );
        assert_eq!(
            privacy
                .call(app::privacy::restrict_processing, &restrict)
                .await
                .status(),
            409,
            "{label}: twice"
        );

        for (n, (event_type, payload)) in [
            ("points_earned", json!({"points": 10})),
            ("tier_promoted", json!({"tier": "Gold"})),
            ("offer_redeemed", json!({"offer": "Free pastry"})),
        ]
        .into_iter()
        .enumerate()
        {
            let report = send(&setup, &format!("r-{n}"), event_type, payload).await;
            assert_eq!(report["rejected"], 1, "{label}: {report}");
            assert!(report["results"][0]["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("restricted"));
        }
        let purchase = send(
            &setup,
            "r-buy",
            "purchase",
            json!({"amount_cents": 100, "currency": "GBP"}),
        )
        .await;
        assert_eq!(
            purchase["accepted"], 1,
            "{label}: purchases are still recorded"
        );
        let adjust = [
            ("customer_id", id.as_str()),
            ("points", "10"),
            ("reason", "goodwill"),
        ];
        assert_eq!(
            setup
                .admin
                .call(app::points::api::adjust_points, &adjust)
                .await
                .status(),
            409,
            "{label}"
        );
        let overview = app::privacy::db::overview(&db, &id).await.unwrap().unwrap();
        assert_eq!(overview.refused_while_restricted, 3, "{label}");
        assert!(overview.restricted_at.is_some());

        let reinstate = [
            ("customer_id", id.as_str()),
            ("reason", "Request 42 closed"),
        ];
        assert_eq!(
            privacy
                .call(app::privacy::reinstate_processing, &reinstate)
                .await
                .status(),
            200,
            "{label}"
        );
        let report = send(&setup, "r-again", "points_earned", json!({"points": 10})).await;
        assert_eq!(report["accepted"], 1, "{label}: accepted again");
        let history = app::privacy::db::overview(&db, &id)
            .await
            .unwrap()
            .unwrap()
            .history;
        let kinds: Vec<&str> = history.iter().map(|r| r.request_type.as_str()).collect();
        assert_eq!(kinds, ["reinstate", "restrict"], "{label}");
    }
}

#[tokio::test]
async fn the_export_holds_every_section_and_parses_back() {
    let (db, _guard) = common::sqlite().await;
    let setup = setup(&db).await;
    let id = setup.id.clone();
    send(
        &setup,
        "x-1",
        "purchase",
        json!({"amount_cents": 450, "currency": "GBP",
        "note": "comma, \"quote\" and\nnewline — Zoë"}),
    )
    .await;
    let note = [
        ("customer_id", id.as_str()),
        ("reason", ""),
        ("body", "Called, twice"),
    ];
    setup.admin.call(app::notes::add_note, &note).await;
    let agent = Console::signed_in(&setup.base, "associate@demo.test").await;
    let path = format!("/api/v1/customers/{id}/privacy/export");
    assert_eq!(agent.post(&path).await.status(), 403);
    let privacy = Console::signed_in(&setup.base, "privacy@demo.test").await;
    let response = privacy.post(&path).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let sections: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[0]).collect();
    for section in ["profile", "notes", "events"] {
        assert!(sections.contains(section), "{section} in {sections:?}");
    }
    assert!(rows
        .iter()
        .any(|r| &r[0] == "profile" && &r[2] == "email" && &r[3] == "zeb.quux@forget.test"));
    assert!(
        rows.iter()
            .any(|r| &r[0] == "events" && r[3].contains("newline — Zoë")),
        "quoting survives"
    );
    assert!(rows
        .iter()
        .any(|r| &r[0] == "notes" && &r[3] == "Called, twice"));
    let iso_utc =
        |value: &str| chrono::DateTime::parse_from_rfc3339(value).is_ok() && value.ends_with('Z');
    for (section, field) in [("profile", "created_at"), ("events", "occurred_at")] {
        let value = rows.iter().find(|r| &r[0] == section && &r[2] == field);
        assert!(
            value.is_some_and(|r| iso_utc(&r[3])),
            "{section}.{field} in ISO 8601 UTC: {value:?}"
        );
    }
    for internal in ["first_name_key", "last_name_key", "version"] {
        assert!(
            !rows.iter().any(|r| &r[2] == internal),
            "{internal} is not exported"
        );
    }
    // The request is logged once the stream has been written out.
    let mut logged = false;
    for _ in 0..50 {
        let overview = app::privacy::db::overview(&db, &id).await.unwrap().unwrap();
        logged = overview.last_export_at.is_some();
        if logged {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(logged, "the export is logged");
    assert_eq!(
        privacy
            .post("/api/v1/customers/nope/privacy/export")
            .await
            .status(),
        404
    );
}
