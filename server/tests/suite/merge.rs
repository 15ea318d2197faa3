//! Merging duplicates and undoing a merge, on both databases: a merge then an undo gives back
//! both customers' data exports as they were (apart from the merge's own history lines); the
//! merged-away address, identifiers and id lead to the survivor; refusals; two merges of the
//! same pair at once; events that arrive after a merge stay with the survivor; a forget of
//! the survivor takes the merge records with it; likely duplicates and their reasons.

use crate::common::console::Console;
use crate::common::{self, user, version};
use app::auth::{CurrentUser, Role};
use app::merge::service::{self, MergeRequest};
use app::state::{AppState, Config};
use app::store::Db;
use serde_json::json;
use std::collections::BTreeMap;

/// Two seeded customers with events: (survivor, absorbed).
async fn pair(db: &Db) -> (String, String) {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT c.id FROM customers c WHERE c.is_test = 0 AND c.restricted_at IS NULL \
         AND c.first_name IS NOT NULL \
         AND (SELECT COUNT(*) FROM events e WHERE e.customer_id = c.id) > 3 ORDER BY c.id LIMIT 2",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    (ids[0].clone(), ids[1].clone())
}

/// A seeded database's state, a supervisor, and two customers to merge with their versions.
struct Setup {
    state: AppState,
    supervisor: CurrentUser,
    a: String,
    b: String,
    versions: (i64, i64),
}

async fn setup(db: &Db) -> Setup {
    let (a, b) = pair(db).await;
    Setup {
        state: AppState::new(db.clone(), Config::default()).await.unwrap(),
        supervisor: user(Role::Supervisor),
        versions: (version(db, &a).await, version(db, &b).await),
        a,
        b,
    }
}

fn request(survivor: &str, absorbed: &str, versions: (i64, i64), keep: &[&str]) -> MergeRequest {
    MergeRequest {
        survivor_id: survivor.into(),
        absorbed_id: absorbed.into(),
        survivor_version: versions.0,
        absorbed_version: versions.1,
        keep_absorbed: keep.iter().map(|k| k.to_string()).collect(),
        confirm_restricted: false,
    }
}

/// A customer's data export as `(section, record) → [(field, value)]`.
type Export = BTreeMap<(String, String), Vec<(String, String)>>;

async fn export(console: &Console, id: &str) -> Export {
    let response = console
        .post(&format!("/api/v1/customers/{id}/privacy/export"))
        .await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    let mut records = Export::new();
    for row in csv::Reader::from_reader(body.as_bytes()).records() {
        let row = row.unwrap();
        records
            .entry((row[0].to_string(), row[1].to_string()))
            .or_default()
            .push((row[2].to_string(), row[3].to_string()));
    }
    records
}

/// Asserts `after` holds every record of `before` unchanged, and that what it adds is the
/// merge's own history (merge records, audit records, the merge and undo events) or the log of
/// the export taken before.
fn same_apart_from_history(label: &str, before: &Export, after: &Export) {
    for (key, fields) in before {
        assert_eq!(after.get(key), Some(fields), "{label}: {key:?} changed");
    }
    for ((section, record), fields) in after {
        if before.contains_key(&(section.clone(), record.clone())) {
            continue;
        }
        let field = |name: &str| {
            fields
                .iter()
                .find(|(f, _)| f == name)
                .map(|(_, v)| v.as_str())
        };
        let history = match section.as_str() {
            "merges" | "audit_log" => true,
            "events" => matches!(
                field("event_type"),
                Some("customers_merged" | "customers_unmerged")
            ),
            "privacy_requests" => field("request_type") == Some("export"),
            _ => false,
        };
        assert!(
            history,
            "{label}: new record {section} {record}: {fields:?}"
        );
    }
}

async fn attribute(db: &Db, id: &str, key: &str, value: &str) {
    sqlx::query(
        "INSERT INTO customer_attributes (customer_id, key, value, updated_at) VALUES ($1, $2, $3, 1)",
    )
    .bind(id)
    .bind(key)
    .bind(value)
    .execute(db.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn a_merge_then_its_undo_gives_back_both_exports_and_the_absorbed_id_leads_to_the_survivor() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 30).await;
        let base = common::console::spawn(db.clone(), Default::default()).await;
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let supervisor = user(Role::Supervisor);
        let (a, b) = pair(&db).await;
        for id in [&a, &b] {
            app::tags::service::add(&state, &supervisor, id.clone(), "vip".into())
                .await
                .unwrap();
        }
        attribute(&db, &a, "favourite_colour", "blue").await;
        attribute(&db, &b, "favourite_colour", "green").await;
        attribute(&db, &b, "shoe_size", "9").await;
        let admin = Console::signed_in(&base, "admin@demo.test").await;
        let (a_before, b_before) = (export(&admin, &a).await, export(&admin, &b).await);
        let b_email: String = sqlx::query_scalar("SELECT email FROM customers WHERE id = $1")
            .bind(&b)
            .fetch_one(db.pool())
            .await
            .unwrap();

        let preview = service::preview(&state, &supervisor, a.clone(), b.clone())
            .await
            .unwrap();
        assert!(preview.refusal.is_none(), "{name}: {preview:?}");
        assert_eq!(
            preview.points_after,
            preview.survivor.points_balance + preview.absorbed.points_balance
        );
        let fields: Vec<&str> = preview.conflicts.iter().map(|c| c.field.as_str()).collect();
        assert!(fields.contains(&"name"), "{name}: {fields:?}");
        assert!(fields.contains(&"attribute:favourite_colour"), "{name}");
        let versions = (preview.survivor.version, preview.absorbed.version);
        let keep = ["name", "attribute:favourite_colour"];
        let done = service::merge(&state, &supervisor, request(&a, &b, versions, &keep))
            .await
            .unwrap();

        let owner = app::identity::db::owner(&db, "email", &b_email)
            .await
            .unwrap();
        assert_eq!(
            owner.as_deref(),
            Some(a.as_str()),
            "{name}: B's email finds A"
        );
        let merged = app::store::customer_tables::moved_on_merge()
            .chain(app::store::customer_tables::combined_on_merge().map(|(t, ..)| t));
        for table in merged {
            let left: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM {table} WHERE customer_id = $1"
            ))
            .bind(&b)
            .fetch_one(db.pool())
            .await
            .unwrap();
            assert_eq!(left, 0, "{name}: the merge left rows of {table} with B");
        }
        let points: i64 = sqlx::query_scalar("SELECT points_balance FROM customers WHERE id = $1")
            .bind(&a)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(points, preview.points_after, "{name}");
        let page = admin.get(&format!("/customers/{b}/profile")).await;
        assert_eq!(page.status(), 302, "{name}: the old address redirects");
        assert_eq!(
            page.headers()["location"].to_str().unwrap(),
            format!("/customers/{a}/profile")
        );
        let history = service::history(&state, b.clone()).await.unwrap();
        assert_eq!(history.len(), 1, "{name}");
        assert!(history[0]
            .moved
            .iter()
            .any(|(what, n)| what == "events" && *n > 3));
        // The history lists what the preview listed (ledger entries and tags included).
        let previewed: Vec<(String, i64)> = preview
            .moves
            .iter()
            .filter(|(_, n)| *n > 0)
            .cloned()
            .collect();
        assert_eq!(history[0].moved, previewed, "{name}");
        assert!(
            previewed
                .iter()
                .any(|(what, _)| what == "points ledger entries"),
            "{name}: {previewed:?}"
        );

        let undone = service::undo(&state, &supervisor, a.clone(), done.merge_id.clone())
            .await
            .unwrap();
        assert_eq!(
            (undone.events_kept, undone.identifiers_kept),
            (0, 0),
            "{name}"
        );
        let again = service::undo(&state, &supervisor, a.clone(), done.merge_id.clone()).await;
        assert_eq!(again.unwrap_err().status_code(), 409, "{name}: undone once");
        let owner = app::identity::db::owner(&db, "email", &b_email)
            .await
            .unwrap();
        assert_eq!(
            owner.as_deref(),
            Some(b.as_str()),
            "{name}: B's email is B's again"
        );
        same_apart_from_history(
            &format!("{name} survivor"),
            &a_before,
            &export(&admin, &a).await,
        );
        same_apart_from_history(
            &format!("{name} absorbed"),
            &b_before,
            &export(&admin, &b).await,
        );
    }
}

#[tokio::test]
async fn merges_are_refused_with_reasons_and_two_at_once_leave_one_winner() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 30).await;
        let Setup {
            state,
            supervisor,
            a,
            b,
            versions,
        } = setup(&db).await;

        let itself = service::merge(&state, &supervisor, request(&a, &a, versions, &[])).await;
        let itself = itself.unwrap_err();
        assert_eq!(
            (itself.status_code(), itself.field()),
            (422, Some("absorbed_id")),
            "{name}"
        );
        let stale = service::merge(
            &state,
            &supervisor,
            request(&a, &b, (versions.0 - 1, versions.1), &[]),
        );
        assert_eq!(
            stale.await.unwrap_err().status_code(),
            409,
            "{name}: changed since the preview"
        );

        sqlx::query("UPDATE customers SET is_test = 1 WHERE id = $1")
            .bind(&b)
            .execute(db.pool())
            .await
            .unwrap();
        let test = service::merge(&state, &supervisor, request(&a, &b, versions, &[])).await;
        assert!(
            test.unwrap_err().to_string().contains("test persona"),
            "{name}"
        );
        sqlx::query("UPDATE customers SET is_test = 0, restricted_at = 5 WHERE id = $1")
            .bind(&b)
            .execute(db.pool())
            .await
            .unwrap();
        let restricted = service::merge(&state, &supervisor, request(&a, &b, versions, &[])).await;
        assert_eq!(
            restricted.unwrap_err().field(),
            Some("confirm_restricted"),
            "{name}"
        );
        sqlx::query("UPDATE customers SET restricted_at = NULL WHERE id = $1")
            .bind(&b)
            .execute(db.pool())
            .await
            .unwrap();

        let (one, two) = tokio::join!(
            service::merge(&state, &supervisor, request(&a, &b, versions, &[])),
            service::merge(&state, &supervisor, request(&a, &b, versions, &[])),
        );
        let outcomes = [one.is_ok(), two.is_ok()];
        assert_eq!(
            outcomes.iter().filter(|ok| **ok).count(),
            1,
            "{name}: {outcomes:?}"
        );
        let loser = if one.is_ok() { two } else { one }.unwrap_err();
        assert!(
            matches!(loser.status_code(), 404 | 409),
            "{name}: told: {loser:?}"
        );
        let absorbed_rows: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE customer_id = $1")
                .bind(&b)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(absorbed_rows, 0, "{name}");
    }
}

#[tokio::test]
async fn events_for_a_merged_away_id_reach_the_survivor_and_stay_there_after_an_undo() {
    let (db, _guard) = common::sqlite().await;
    let (base, key) = common::server_with_key(&db, 30).await;
    let Setup {
        state,
        supervisor,
        a,
        b,
        versions,
    } = setup(&db).await;
    let done = service::merge(&state, &supervisor, request(&a, &b, versions, &[]))
        .await
        .unwrap();
    let event = customer_profiles_client::EventIn::new(
        "points_earned",
        customer_profiles_client::CustomerRef::Id(b.clone()),
        json!({"points": 25}),
    )
    .id("after-merge-1")
    .source("pos");
    let report = common::send_events(&base, &key, vec![event]).await;
    assert!(
        matches!(
            &report.results[0].outcome,
            customer_profiles_client::Outcome::Accepted { customer_id, .. } if *customer_id == a
        ),
        "{report:?}"
    );

    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let refused = agent
        .call(
            app::merge::undo_merge,
            &[("survivor_id", &a), ("merge_id", &done.merge_id)],
        )
        .await;
    assert_eq!(refused.status(), 403, "care agents do not merge");
    let undone = service::undo(&state, &supervisor, a.clone(), done.merge_id)
        .await
        .unwrap();
    assert_eq!(undone.events_kept, 1);
    let kept: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM events WHERE customer_id = $1 AND client_event_id = 'after-merge-1'",
    )
    .bind(&a)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(kept, 1, "the late event stays with the survivor");
}

#[tokio::test]
async fn forgetting_a_survivor_forgets_what_was_merged_into_it() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 30).await;
        let Setup {
            state,
            supervisor,
            a,
            b,
            versions,
        } = setup(&db).await;
        let emails: Vec<String> =
            sqlx::query_scalar("SELECT normalized FROM customer_identifiers WHERE customer_id IN ($1, $2) AND kind = 'email'")
                .bind(&a)
                .bind(&b)
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert!(!emails.is_empty(), "{name}");
        service::merge(&state, &supervisor, request(&a, &b, versions, &[]))
            .await
            .unwrap();
        let confirmed = app::privacy::FORGET_CONFIRMATION.to_string();
        app::privacy::service::forget(&state, &supervisor, a.clone(), confirmed)
            .await
            .unwrap();
        let mut needles: Vec<&str> = emails.iter().map(String::as_str).collect();
        needles.extend([a.as_str(), b.as_str()]);
        let left = crate::privacy::text_traces(&db, &needles).await;
        assert!(left.is_empty(), "{name}: the catalogue scan finds {left:?}");
        for (table, column) in [
            ("customer_merges", "customer_id"),
            ("customer_merges", "absorbed_id"),
            ("customer_redirects", "customer_id"),
            ("audit_log", "subject"),
            ("events", "customer_id"),
        ] {
            for id in [&a, &b] {
                let left: i64 = sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM {table} WHERE {column} = $1"
                ))
                .bind(id)
                .fetch_one(db.pool())
                .await
                .unwrap();
                assert_eq!(left, 0, "{name}: {table}.{column} still names {id}");
            }
        }
    }
}

#[tokio::test]
async fn likely_duplicates_are_found_with_their_reasons_and_masked_without_view_pii() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 3).await;
        let base = common::console::spawn(db.clone(), Default::default()).await;
        let admin = Console::signed_in(&base, "admin@demo.test").await;
        let add =
            |first: &'static str, ext: &'static str, email: &'static str, phone: &'static str| {
                let (db, admin) = (db.clone(), &admin);
                async move {
                    let form = [
                        ("form[first_name]", first),
                        ("form[last_name]", "Duplicate"),
                        ("form[external_id]", ext),
                        ("form[email]", email),
                        ("form[phone]", phone),
                        ("form[date_of_birth]", "1980-02-03"),
                        ("form[postal_code]", "SW1A 1AA"),
                        ("form[status_id]", "active"),
                    ];
                    common::add_customer_from(&db, admin, &form).await
                }
            };
        let jane = add(
            "Jane",
            "DUP-1",
            "jane.doe+shop@example.com",
            "+44 7700 900555",
        )
        .await;
        // The same number with a trunk 0 after the country code is the same number
        // (libphonenumber): refused at the field, never a second holder.
        let same_number = [
            ("form[first_name]", "Janet"),
            ("form[last_name]", "Duplicate"),
            ("form[external_id]", "DUP-2"),
            ("form[phone]", "+44 07700 900555"),
            ("form[status_id]", "active"),
        ];
        let refused: serde_json::Value = admin
            .call(app::customers::create_customer, &same_number)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(refused["Duplicate"]["field"], "phone", "{name}: {refused}");
        let other = add("Janet", "DUP-2", "janedoe@example.com", "").await;
        let twin = add("Jane", "DUP-3", "", "").await;
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let found = app::duplicates::service::suggestions(&state, &user(Role::Admin), jane.clone())
            .await
            .unwrap();
        let reasons = |id: &str| -> Vec<app::duplicates::Reason> {
            found
                .iter()
                .find(|s| s.customer_id == id)
                .map(|s| s.reasons.iter().map(|(r, _)| *r).collect())
                .unwrap_or_default()
        };
        use app::duplicates::Reason::*;
        assert_eq!(reasons(&other), [Email], "{name}: {found:?}");
        assert_eq!(
            reasons(&twin),
            [NameAndBirth, NameAndPostcode],
            "{name}: {found:?}"
        );
        let masked =
            app::duplicates::service::suggestions(&state, &user(Role::StoreAssociate), jane)
                .await
                .unwrap();
        let shown: Vec<&str> = masked
            .iter()
            .flat_map(|s| s.reasons.iter().map(|(_, v)| v.as_str()))
            .collect();
        assert!(
            shown
                .iter()
                .all(|v| !v.contains("janedoe") && !v.contains("900555") && !v.contains("1980")),
            "{name}: masked: {shown:?}"
        );
        let page =
            app::duplicates::service::list(&state, &user(Role::Supervisor), "email".into(), None)
                .await
                .unwrap();
        assert!(
            page.groups
                .iter()
                .any(|g| g.customers.iter().any(|(id, _)| *id == other)),
            "{name}: {page:?}"
        );
        // "SW1A 1AA" and "sw1a1aa" are one postcode; the list shows it once, in capitals.
        let same_place = [
            ("form[first_name]", "Jane"),
            ("form[last_name]", "Duplicate"),
            ("form[external_id]", "DUP-4"),
            ("form[postal_code]", "sw1a1aa"),
            ("form[status_id]", "active"),
        ];
        let fourth = common::add_customer_from(&db, &admin, &same_place).await;
        let found =
            app::duplicates::service::suggestions(&state, &user(Role::Admin), fourth.clone())
                .await
                .unwrap();
        let twin_found = found.iter().find(|s| s.customer_id == twin);
        assert_eq!(
            twin_found.map(|s| s.reasons.clone()),
            Some(vec![(NameAndPostcode, "SW1A1AA".to_string())]),
            "{name}: the profile's hint compares postcodes as the list does: {found:?}"
        );
        let page = app::duplicates::service::list(
            &state,
            &user(Role::Supervisor),
            "name_and_postcode".into(),
            None,
        )
        .await
        .unwrap();
        let group = page.groups.iter().find(|g| g.shared == "SW1A1AA");
        let holders: Vec<&str> = group
            .map(|g| g.customers.iter().map(|(id, _)| id.as_str()).collect())
            .unwrap_or_default();
        assert!(
            holders.contains(&twin.as_str()) && holders.contains(&fourth.as_str()),
            "{name}: {page:?}"
        );
    }
}

#[tokio::test]
async fn the_demo_data_has_likely_duplicates_of_every_kind() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        let args = server::seed::SeedArgs {
            customers: 20,
            seed: 11,
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 1),
            without_events: false,
            duplicates: 1,
        };
        let report = server::seed::run(&db, &args).await.unwrap();
        assert!(report.contains("and 8 more in pairs"), "{name}: {report}");
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        for reason in app::duplicates::Reason::ALL {
            let page = app::duplicates::service::list(
                &state,
                &user(Role::Supervisor),
                reason.as_str().into(),
                None,
            )
            .await
            .unwrap();
            assert_eq!(page.groups.len(), 1, "{name}: {reason:?}: {page:?}");
            let [(first, _), (second, _)] = page.groups[0].customers.as_slice() else {
                panic!("{name}: {reason:?}: a pair: {page:?}");
            };
            // Each profile of the pair is suggested on the other's page, for that reason only.
            let found = app::duplicates::service::suggestions(
                &state,
                &user(Role::Supervisor),
                first.clone(),
            )
            .await
            .unwrap();
            assert_eq!(found.len(), 1, "{name}: {reason:?}: {found:?}");
            assert_eq!(&found[0].customer_id, second, "{name}: {reason:?}");
            assert_eq!(found[0].reasons.len(), 1, "{name}: {reason:?}: {found:?}");
            assert_eq!(found[0].reasons[0].0, reason, "{name}: {found:?}");
        }
    }
}
