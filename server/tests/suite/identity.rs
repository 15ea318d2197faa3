//! A customer's identifiers through the service, on both databases: add (taken by another
//! customer: 409 at the field), make primary (the profile's own field follows), remove (the
//! only identifier of a nameless customer stays), and two agents racing for one value.

use crate::common::{self, user};
use app::auth::Role;
use app::error::AppError;
use app::identity::service;
use app::state::{AppState, Config};
use app::store::Db;

async fn two_customers(db: &Db) -> (String, String, String) {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 2",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    (rows[0].0.clone(), rows[1].0.clone(), rows[1].1.clone())
}

async fn primary_email(db: &Db, id: &str) -> Option<String> {
    sqlx::query_scalar("SELECT email FROM customers WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn identifiers_are_added_made_primary_and_removed_and_a_taken_one_is_refused_at_the_field() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 3).await;
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let agent = user(Role::CareAgent);
        let (first, second, second_email) = two_customers(&db).await;
        let old = primary_email(&db, &first).await.unwrap();
        let add = |value: &str, primary| {
            let value = value.to_string();
            service::add(
                &state,
                &agent,
                first.clone(),
                "email".into(),
                value,
                primary,
            )
        };
        let taken = add(&second_email, false).await.unwrap_err();
        assert_eq!(taken.status_code(), 409, "{name}: {taken:?}");
        assert_eq!(taken.field(), Some("value"), "{name}");
        assert!(!taken.to_string().contains(&second), "{name}: names nobody");
        let malformed = add("not an email", false).await.unwrap_err();
        assert_eq!(
            (malformed.status_code(), malformed.field()),
            (422, Some("value"))
        );

        add(" New.Address@Example.ORG ", false).await.unwrap();
        assert_eq!(
            primary_email(&db, &first).await,
            Some(old.clone()),
            "{name}"
        );
        let listed = service::list(&state, &agent, first.clone()).await.unwrap();
        let added = listed.iter().find(|i| i.shown == "new.address@example.org");
        assert!(added.is_some_and(|i| !i.is_primary), "{name}: {listed:?}");
        let again = add("new.address@example.org", false).await.unwrap_err();
        assert_eq!(
            again.status_code(),
            422,
            "{name}: the customer has it already"
        );

        service::make_primary(
            &state,
            &agent,
            first.clone(),
            "email".into(),
            "new.address@example.org".into(),
        )
        .await
        .unwrap();
        assert_eq!(
            primary_email(&db, &first).await.as_deref(),
            Some("new.address@example.org"),
            "{name}: the profile's own field follows the primary"
        );
        service::remove(
            &state,
            &agent,
            first.clone(),
            "email".into(),
            "new.address@example.org".into(),
        )
        .await
        .unwrap();
        assert_eq!(
            primary_email(&db, &first).await,
            Some(old.clone()),
            "{name}: the other email becomes primary again"
        );
        let found = app::identity::db::owner(&db, "email", "new.address@example.org")
            .await
            .unwrap();
        assert_eq!(found, None, "{name}: a removed value is free again");

        // A store associate sees masked values and may not change them.
        let associate = user(Role::StoreAssociate);
        let masked = service::list(&state, &associate, first.clone())
            .await
            .unwrap();
        assert!(masked.iter().all(|i| i.key.is_none()), "{name}: {masked:?}");
        assert!(
            masked.iter().all(|i| i.shown != old),
            "{name}: email masked"
        );
        let refused = service::add(
            &state,
            &associate,
            first.clone(),
            "email".into(),
            "a@b.co".into(),
            false,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(refused, AppError::Forbidden(_)),
            "{name}: {refused:?}"
        );
    }
}

#[tokio::test]
async fn the_only_identifier_of_a_customer_without_a_name_stays() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let agent = user(Role::CareAgent);
        let form = app::customers::new_customer::NewCustomerForm {
            email: "only@example.com".into(),
            ..Default::default()
        };
        let created = app::customers::service::create(&state, &agent, form)
            .await
            .unwrap();
        let app::customers::new_customer::CreateOutcome::Created(id) = created else {
            panic!("{name}: not created: {created:?}");
        };
        let refused = service::remove(
            &state,
            &agent,
            id.clone(),
            "email".into(),
            "only@example.com".into(),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(refused, AppError::Conflict(_)),
            "{name}: {refused:?}"
        );
        assert_eq!(
            primary_email(&db, &id).await.as_deref(),
            Some("only@example.com")
        );
    }
}

#[tokio::test]
async fn two_agents_racing_for_one_value_leave_it_with_one_customer() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 3).await;
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let agent = user(Role::CareAgent);
        let (first, second, _) = two_customers(&db).await;
        let claim = |customer: &String| {
            service::add(
                &state,
                &agent,
                customer.clone(),
                "phone".into(),
                "+447700900999".into(),
                false,
            )
        };
        let (a, b) = tokio::join!(claim(&first), claim(&second));
        assert_eq!(
            usize::from(a.is_ok()) + usize::from(b.is_ok()),
            1,
            "{name}: exactly one wins: {a:?} {b:?}"
        );
        let loser = a.err().or(b.err()).unwrap();
        assert_eq!(
            (loser.status_code(), loser.field()),
            (409, Some("value")),
            "{name}"
        );
        let holders: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM customer_identifiers WHERE normalized = '+447700900999'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(holders, 1, "{name}");
    }
}

#[tokio::test]
async fn external_ids_match_whatever_their_case_once_the_organisation_says_so() {
    use app::search::SearchOutcome;
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        let (base, key) = common::server_with_key(&db, 3).await;
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let admin = user(Role::Admin);
        let found = |q: &'static str| {
            let db = db.clone();
            async move {
                matches!(
                    app::search::service::exact(&db, q).await.unwrap(),
                    SearchOutcome::Found(_)
                )
            }
        };
        assert!(
            found("CRM-00000031").await && !found("crm-00000031").await,
            "{name}"
        );

        let console = common::console::Console::signed_in(&base, "admin@demo.test").await;
        let upper = common::add_customer(&db, &console, "Ida", "Upper", "CASE-A1").await;
        let lower = common::add_customer(&db, &console, "Ida", "Lower", "case-a1").await;
        let refused = service::set_external_id_case(&state, &admin, true).await;
        let refused = refused.unwrap_err();
        assert_eq!(refused.status_code(), 409, "{name}");
        let said = refused.to_string();
        assert!(
            said.contains("CASE-A1 (Ida Upper) and case-a1 (Ida Lower)"),
            "{name}: {said}"
        );
        let clashes = service::case_clashes(&state).await.unwrap();
        let holders: Vec<&str> = clashes[0].holders.iter().map(|h| h.0.as_str()).collect();
        let mut both = [upper.as_str(), lower.as_str()];
        both.sort();
        assert_eq!((clashes.len(), holders), (1, both.to_vec()), "{name}");
        let confirmed = app::privacy::FORGET_CONFIRMATION.to_string();
        app::privacy::service::forget(&state, &admin, lower.clone(), confirmed)
            .await
            .unwrap();

        assert!(service::set_external_id_case(&state, &admin, true)
            .await
            .unwrap());
        assert!(
            found("crm-00000031").await && found("CRM-00000031").await,
            "{name}"
        );
        let owner = app::identity::db::owner(&db, "external_id", "case-a1")
            .await
            .unwrap();
        assert_eq!(owner.as_deref(), Some(upper.as_str()), "{name}");
        let event = customer_profiles_client::EventIn::new(
            "app_session",
            customer_profiles_client::CustomerRef::ExternalId("Case-A1".into()),
            serde_json::json!({"platform": "iOS"}),
        )
        .id("case-1");
        let report = common::send_events(&base, &key, vec![event]).await;
        assert!(
            matches!(
                &report.results[0].outcome,
                customer_profiles_client::Outcome::Accepted { customer_id, .. } if *customer_id == upper
            ),
            "{name}: {report:?}"
        );
        let again = console
            .call(
                app::customers::create_customer,
                &[
                    ("form[first_name]", "Ida"),
                    ("form[external_id]", "CASE-a1"),
                    ("form[status_id]", "active"),
                ],
            )
            .await;
        let again: serde_json::Value = again.json().await.unwrap();
        assert_eq!(
            again["Duplicate"]["field"], "external_id",
            "{name}: {again}"
        );
        // Matched whatever its case, shown as entered (profile and identifiers).
        let mixed = common::add_customer(&db, &console, "Ida", "Mixed", "QA-Case-C6mje").await;
        assert!(found("qa-case-c6mje").await, "{name}");
        let shown_on_profile = || {
            let db = db.clone();
            let mixed = mixed.clone();
            async move {
                let profile = app::customers::db::profile(&db, &mixed).await.unwrap();
                profile.unwrap().contact.external_id
            }
        };
        assert_eq!(
            shown_on_profile().await.as_deref(),
            Some("QA-Case-C6mje"),
            "{name}"
        );
        let held = service::list(&state, &admin, mixed.clone()).await.unwrap();
        let shown: Vec<&str> = held.iter().map(|h| h.shown.as_str()).collect();
        assert!(shown.contains(&"QA-Case-C6mje"), "{name}: {shown:?}");
        let added = service::add(
            &state,
            &admin,
            mixed.clone(),
            "external_id".into(),
            "Shop-ABC".into(),
            true,
        )
        .await;
        added.unwrap();
        assert_eq!(
            shown_on_profile().await.as_deref(),
            Some("Shop-ABC"),
            "{name}"
        );
        assert!(found("shop-abc").await, "{name}");

        assert!(!service::set_external_id_case(&state, &admin, false)
            .await
            .unwrap());
        assert!(
            !found("crm-00000031").await && found("CRM-00000031").await,
            "{name}"
        );
        let owner = app::identity::db::owner(&db, "external_id", "CASE-A1")
            .await
            .unwrap();
        assert_eq!(
            owner.as_deref(),
            Some(upper.as_str()),
            "{name}: as typed again"
        );
    }
}

/// The spellings people write `national` / `international` (libphonenumber's formats of one
/// number) in: each must find the number stored from the national format.
fn spellings(region: &str, national: &str, international: &str, e164: &str) -> Vec<String> {
    let (code, rest) = international
        .trim_start_matches('+')
        .split_once(' ')
        .unwrap_or_default();
    let full_width: String = national
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            '-' => '－',
            _ => c,
        })
        .collect();
    let mut written = vec![
        national.to_string(),
        international.to_string(),
        e164.to_string(),
        format!("tel:{}", international.replace(' ', "-")),
        national.replace(' ', "\u{a0}"),
        international.replace([' ', '-'], "."),
        format!("{international} ext. 12"),
        full_width,
    ];
    // Dialled from the region with its international prefix (00 in most of the world).
    let idd = match region {
        "US" | "CA" => Some("011"),
        "JP" => Some("010"),
        "AU" => Some("0011"),
        "GB" | "DE" | "FR" | "NL" | "ES" | "IT" | "IN" | "MX" | "NZ" | "ZA" => Some("00"),
        _ => None,
    };
    if let Some(idd) = idd {
        written.push(format!("{idd} {code} {rest}"));
    }
    // A trunk 0 written after the country code (`+44 0121 …`), where the country has one.
    if national.starts_with('0') && !international.contains(" 9 ") {
        written.push(format!("+{code} {national}"));
    }
    written
}

#[tokio::test]
async fn libphonenumber_example_numbers_are_found_from_every_spelling() {
    let fixture = include_str!("../fixtures/phones/libphonenumber-examples.tsv");
    let rows: Vec<Vec<&str>> = fixture
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
        .collect();
    assert!(rows.len() >= 30, "the fixture holds the examples");
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 1).await;
        let config = Config {
            searches_per_minute: Some(100_000),
            ..Config::default()
        };
        let base = common::console::spawn_with(db.clone(), config).await;
        let admin = common::console::Console::signed_in(&base, "admin@demo.test").await;
        let mut stored = std::collections::BTreeSet::new();
        for (n, row) in rows.iter().enumerate() {
            let [region, kind, national, international, e164] = row[..] else {
                panic!("a row of five columns: {row:?}");
            };
            if !stored.insert(e164) {
                continue; // NANPA's fixed-line and mobile examples are one number.
            }
            let set = admin
                .call(
                    app::settings::api::set_phone_region,
                    &[("phone_region", region)],
                )
                .await;
            assert_eq!(set.status(), 200, "{label} {region}");
            let external = format!("PHONE-{n}");
            let form = [
                ("form[first_name]", region),
                ("form[last_name]", kind),
                ("form[phone]", national),
                ("form[external_id]", external.as_str()),
                ("form[status_id]", "active"),
            ];
            let id = common::add_customer_from(&db, &admin, &form).await;
            let held: Option<String> =
                sqlx::query_scalar("SELECT phone FROM customers WHERE id = $1")
                    .bind(&id)
                    .fetch_one(db.pool())
                    .await
                    .unwrap();
            assert_eq!(
                held.as_deref(),
                Some(e164),
                "{label} {region} {kind}: stored as E.164"
            );
            for spelling in spellings(region, national, international, e164) {
                let found: serde_json::Value = admin
                    .call(app::search::find_customer, &[("q", spelling.as_str())])
                    .await
                    .json()
                    .await
                    .unwrap();
                assert_eq!(
                    found["Found"],
                    id.as_str(),
                    "{label} {region} {kind}: {spelling:?} finds {national:?}: {found}"
                );
            }
            // The same number typed again in any spelling is refused at the field.
            let again = [
                ("form[first_name]", "Again"),
                ("form[last_name]", "Again"),
                ("form[phone]", international),
                ("form[external_id]", "PHONE-AGAIN"),
                ("form[status_id]", "active"),
            ];
            let refused: serde_json::Value = admin
                .call(app::customers::create_customer, &again)
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(
                refused["Duplicate"]["field"], "phone",
                "{label} {region}: {refused}"
            );
        }
        let bad = [
            ("form[first_name]", "Too"),
            ("form[last_name]", "Short"),
            ("form[phone]", "12345"),
            ("form[external_id]", "PHONE-BAD"),
            ("form[status_id]", "active"),
        ];
        let refused = admin.call(app::customers::create_customer, &bad).await;
        assert_eq!(refused.status(), 422, "{label}");
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["Validation"]["field"], "phone", "{label}: {body}");
        assert!(
            body["Validation"]["message"]
                .as_str()
                .unwrap()
                .contains("write it like"),
            "{label}: {body}"
        );
    }
}

#[tokio::test]
async fn an_email_is_one_address_however_it_is_pasted_or_its_domain_written() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 1).await;
        let base = common::console::spawn(db.clone(), Default::default()).await;
        let admin = common::console::Console::signed_in(&base, "admin@demo.test").await;
        let form = [
            ("form[first_name]", "Ann"),
            ("form[last_name]", "Bücher"),
            ("form[email]", "\"Ann Bücher\" <Ann@BÜCHER.de>"),
            ("form[external_id]", "IDN-1"),
            ("form[status_id]", "active"),
        ];
        let id = common::add_customer_from(&db, &admin, &form).await;
        let held: Option<String> = sqlx::query_scalar("SELECT email FROM customers WHERE id = $1")
            .bind(&id)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(held.as_deref(), Some("ann@bücher.de"), "{label}");
        for written in [
            "ann@xn--bcher-kva.de",
            "mailto:ANN@bücher.de?subject=Order%2042",
            " <ann@Bücher.DE> ",
        ] {
            let found: serde_json::Value = admin
                .call(app::search::find_customer, &[("q", written)])
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(found["Found"], id.as_str(), "{label}: {written}: {found}");
        }
        let again = [
            ("form[first_name]", "Other"),
            ("form[email]", "ann@xn--bcher-kva.de"),
            ("form[external_id]", "IDN-2"),
            ("form[status_id]", "active"),
        ];
        let refused: serde_json::Value = admin
            .call(app::customers::create_customer, &again)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(refused["Duplicate"]["field"], "email", "{label}: {refused}");
    }
}

/// Gives customer `id`'s primary `kind` identifier the `legacy` stored form (as an earlier
/// reading rule left it), typed as `typed`.
async fn store_as_before(db: &Db, id: &str, kind: &str, legacy: &str, typed: &str) {
    let column = if kind == "phone" { "phone" } else { "email" };
    sqlx::query(
        "UPDATE customer_identifiers SET normalized = $1, value = $2 \
         WHERE customer_id = $3 AND kind = $4",
    )
    .bind(legacy)
    .bind(typed)
    .bind(id)
    .bind(kind)
    .execute(db.pool())
    .await
    .unwrap();
    // The owner row is keyed (and on Citus placed) by the value: written again, not updated.
    let gone = sqlx::query("DELETE FROM identifier_owners WHERE customer_id = $1 AND kind = $2")
        .bind(id)
        .bind(kind)
        .execute(db.pool())
        .await
        .unwrap();
    if gone.rows_affected() > 0 && !typed.is_empty() {
        sqlx::query(
            "INSERT INTO identifier_owners (normalized, kind, customer_id) VALUES ($1, $2, $3)",
        )
        .bind(legacy)
        .bind(kind)
        .bind(id)
        .execute(db.pool())
        .await
        .unwrap();
    }
    sqlx::query(&format!("UPDATE customers SET {column} = $1 WHERE id = $2"))
        .bind(legacy)
        .bind(id)
        .execute(db.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn identifiers_stored_under_the_old_rules_are_read_again_and_collisions_kept_as_duplicates() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 1).await;
        let base = common::console::spawn(db.clone(), Default::default()).await;
        let admin = common::console::Console::signed_in(&base, "admin@demo.test").await;
        let add = |external: &'static str, kind: &'static str, value: &'static str| {
            let (db, admin) = (db.clone(), &admin);
            async move {
                let field = format!("form[{kind}]");
                let form = [
                    ("form[first_name]", "Legacy"),
                    ("form[last_name]", external),
                    (field.as_str(), value),
                    ("form[external_id]", external),
                    ("form[status_id]", "active"),
                ];
                common::add_customer_from(&db, admin, &form).await
            }
        };
        let holder = add("OLD-A", "phone", "0121 234 5655").await;
        let twin = add("OLD-B", "phone", "0131 496 0000").await;
        let trunk = add("OLD-D", "phone", "0161 496 0000").await;
        let idn = add("OLD-C", "email", "ann@example.org").await;
        // As the hand-written reader stored them: a trunk 0 kept after +44, a punycode domain.
        store_as_before(&db, &twin, "phone", "+4401212345655", "+44 0121 234 5655").await;
        store_as_before(&db, &trunk, "phone", "+4401614960000", "+44 0161 496 0000").await;
        store_as_before(
            &db,
            &idn,
            "email",
            "ann@xn--bcher-kva.de",
            "ann@xn--bcher-kva.de",
        )
        .await;

        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let report = app::identity::renormalise::run(&state).await.unwrap();
        assert_eq!(report.changed, 2, "{label}: {report:?}");
        assert_eq!(
            report.collisions,
            vec![(
                "phone".into(),
                "+4401212345655".into(),
                twin.clone(),
                holder.clone()
            )],
            "{label}"
        );
        assert!(
            app::identity::renormalise::run_once(&state)
                .await
                .unwrap()
                .is_none(),
            "{label}: once"
        );
        for (query, expected) in [
            ("0161 496 0000", &trunk),
            ("ann@bücher.de", &idn),
            ("ann@xn--bcher-kva.de", &idn),
        ] {
            let found: serde_json::Value = admin
                .call(app::search::find_customer, &[("q", query)])
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(
                found["Found"],
                expected.as_str(),
                "{label}: {query}: {found}"
            );
        }
        // A search by the colliding number, in either spelling, names both holders.
        for query in ["+44 121 234 5655", "+44 0121 234 5655"] {
            let found: serde_json::Value = admin
                .call(app::search::find_customer, &[("q", query)])
                .await
                .json()
                .await
                .unwrap();
            let holders: Vec<&str> = found["Shared"]["customers"]
                .as_array()
                .map(|list| list.iter().filter_map(|c| c[0].as_str()).collect())
                .unwrap_or_default();
            assert_eq!(
                holders,
                [holder.as_str(), twin.as_str()],
                "{label}: {query}: {found}"
            );
            assert!(
                found["Shared"]["note"]
                    .as_str()
                    .is_some_and(|n| n.contains("merge")),
                "{label}: {found}"
            );
        }
        // The colliding pair is kept apart, both holding their numbers, listed as duplicates.
        let kept: Option<String> = sqlx::query_scalar("SELECT phone FROM customers WHERE id = $1")
            .bind(&twin)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(kept.as_deref(), Some("+4401212345655"), "{label}");
        let found =
            app::duplicates::service::suggestions(&state, &user(Role::Admin), holder.clone())
                .await
                .unwrap();
        let twin_reasons: Vec<app::duplicates::Reason> = found
            .iter()
            .find(|s| s.customer_id == twin)
            .map(|s| s.reasons.iter().map(|(r, _)| *r).collect())
            .unwrap_or_default();
        assert_eq!(
            twin_reasons,
            [app::duplicates::Reason::Phone],
            "{label}: {found:?}"
        );
    }
}

#[tokio::test]
async fn the_phone_country_comes_from_the_old_calling_code_until_chosen_and_numbers_show_in_its_format(
) {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 1).await;
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let admin = user(Role::Admin);
        app::settings::db::set_setting(db.pool(), app::settings::db::CALLING_CODE, "1")
            .await
            .unwrap();
        let before = app::settings::service::get(&state).await.unwrap();
        assert_eq!(before.phone_region, "US", "{label}");
        assert!(
            before
                .phone_region_note
                .as_deref()
                .is_some_and(|n| n.contains("+1") && n.contains("CA")),
            "{label}: {before:?}"
        );
        let refused = app::settings::service::set_phone_region(&state, &admin, "XX".into())
            .await
            .unwrap_err();
        assert!(refused.for_field("phone_region").is_some(), "{label}");
        let chosen = app::settings::service::set_phone_region(&state, &admin, "ca".into())
            .await
            .unwrap();
        assert_eq!(
            (chosen.phone_region.as_str(), chosen.phone_region_note),
            ("CA", None),
            "{label}"
        );
        // A Canadian number typed nationally, with an extension; a British one.
        let id: String = sqlx::query_scalar("SELECT id FROM customers LIMIT 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
        for value in ["(204) 555-0199 ext. 12", "+44 121 234 5655"] {
            service::add(
                &state,
                &admin,
                id.clone(),
                "phone".into(),
                value.into(),
                false,
            )
            .await
            .unwrap_or_else(|e| panic!("{label}: {value}: {e:?}"));
        }
        let shown: Vec<String> = service::list(&state, &admin, id.clone())
            .await
            .unwrap()
            .into_iter()
            .filter(|i| i.kind == app::identity::IdentifierKind::Phone)
            .map(|i| i.shown)
            .collect();
        assert!(
            shown.contains(&"(204) 555-0199 ext. 12".to_string())
                && shown.contains(&"+44 121 234 5655".to_string()),
            "{label}: {shown:?}"
        );
    }
}
