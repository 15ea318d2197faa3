//! A customer's identifiers through the service, on both databases: add (taken by another
//! customer: 409 at the field), make primary (the profile's own field follows), remove (the
//! only identifier of a nameless customer stays), and two agents racing for one value.

use crate::common;
use app::auth::{CurrentUser, Role};
use app::error::AppError;
use app::identity::service;
use app::state::{AppState, Config};
use app::store::Db;

fn user(role: Role) -> CurrentUser {
    CurrentUser {
        id: uuid::Uuid::now_v7().to_string(),
        email: "agent@brand.test".into(),
        display_name: "Agent".into(),
        role,
        permissions: role.permissions(),
    }
}

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
        assert!(refused.to_string().contains("CASE-A1"), "{name}: {refused}");
        let mut tx = db.begin_write().await.unwrap();
        app::privacy::db::forget(&mut tx, &lower).await.unwrap();
        tx.commit().await.unwrap();

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
                "create_customer",
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
