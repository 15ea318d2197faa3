//! Custom profile attributes on both databases: declared by an admin (checked names, kinds,
//! permission), set, changed and removed by `profile_updated` events (undeclared keys and
//! wrong types refused at their field, an older event never overwrites a newer value), edited
//! on the profile, found by exact value in the advanced search, and kept while in use.

use crate::common;
use crate::common::console::Console;
use app::auth::{CurrentUser, Role};
use app::search::advanced::AdvancedQuery;
use app::state::{AppState, Config};
use serde_json::{json, Value};

fn admin() -> CurrentUser {
    CurrentUser {
        id: uuid::Uuid::now_v7().to_string(),
        email: "admin@brand.test".into(),
        display_name: "Ada Admin".into(),
        role: Role::Admin,
        permissions: Role::Admin.permissions(),
    }
}

fn update(id: &str, at: &str, payload: Value) -> Value {
    json!({"event_id": id, "type": "profile_updated", "occurred_at": at,
           "customer": {"external_id": "ATTR-1"}, "payload": payload})
}

async fn attributes(db: &app::store::Db, id: &str) -> Vec<(String, String)> {
    app::attributes::db::of_customer(db.pool(), id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.name, a.value))
        .collect()
}

#[tokio::test]
async fn attributes_are_declared_set_by_events_edited_and_found() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        let (base, key) = common::server_with_key(&db, 3).await;
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let admin = admin();
        let declare = |n: &str, label: &str, kind: &str| {
            app::attributes::service::add(&state, &admin, n.into(), label.into(), kind.into())
        };
        declare("favourite_drink", "Favourite drink", "text")
            .await
            .unwrap();
        declare("shoe_size", "Shoe size", "number").await.unwrap();
        declare("newsletter", "Newsletter", "boolean")
            .await
            .unwrap();
        let bad = declare("Favourite Drink", "x", "text").await.unwrap_err();
        assert_eq!(bad.field(), Some("name"), "{name}");
        let taken = declare("shoe_size", "Again", "number").await.unwrap_err();
        assert_eq!(
            (taken.status_code(), taken.field()),
            (409, Some("name")),
            "{name}"
        );
        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let refused = agent
            .call(
                app::attributes::add_attribute_type,
                &[("name", "x"), ("label", "X"), ("kind", "text")],
            )
            .await;
        assert_eq!(refused.status(), 403, "{name}");

        let admin_console = Console::signed_in(&base, "admin@demo.test").await;
        let id = common::add_customer(&db, &admin_console, "Ada", "Attr", "ATTR-1").await;
        // Ingest adds the customer's tier to every event it stores.
        sqlx::query("UPDATE customers SET tier = 'Bronze' WHERE id = $1")
            .bind(&id)
            .execute(db.pool())
            .await
            .unwrap();
        let batch = json!({"events": [
            update("a-1", "2026-11-20T10:00:00Z", json!({"favourite_drink": "Flat white", "shoe_size": 9.0})),
            update("a-2", "2026-11-20T09:00:00Z", json!({"favourite_drink": "Older tea"})),
            update("a-3", "2026-11-20T10:00:00Z", json!({"star_sign": "Leo"})),
            update("a-4", "2026-11-20T10:00:00Z", json!({"shoe_size": "nine"})),
        ]});
        let (status, report) = common::post_events(&base, &key, &batch).await;
        assert_eq!(status, 207, "{name}: {report}");
        let errors: Vec<(&str, &str)> = report["results"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["errors"].as_array().into_iter().flatten())
            .map(|e| (e["field"].as_str().unwrap(), e["message"].as_str().unwrap()))
            .collect();
        assert_eq!(errors.len(), 2, "{name}: {report}");
        assert_eq!(errors[0].0, "payload.star_sign", "{name}");
        assert!(errors[0].1.contains("Admin → Profile attributes"), "{name}");
        assert_eq!(
            errors[1],
            ("payload.shoe_size", "must be a number"),
            "{name}"
        );
        assert_eq!(
            attributes(&db, &id).await,
            [
                ("favourite_drink".to_string(), "Flat white".to_string()),
                ("shoe_size".to_string(), "9".to_string())
            ],
            "{name}: the older event did not overwrite, and what ingest adds to every event \
             (the tier at the time) is no attribute"
        );
        let removal = update("a-5", "2026-11-21T10:00:00Z", json!({"shoe_size": null}));
        let (status, _) = common::post_events(&base, &key, &removal).await;
        assert_eq!(status, 200, "{name}");
        let profile = app::customers::db::profile(&db, &id)
            .await
            .unwrap()
            .unwrap();
        let shown: Vec<(&str, &str)> = profile
            .attributes
            .iter()
            .map(|a| (a.label.as_str(), a.value.as_str()))
            .collect();
        assert_eq!(shown, [("Favourite drink", "Flat white")], "{name}");

        let version = profile.version.to_string();
        let edit = |size: &'static str| {
            let (version, id) = (version.clone(), id.clone());
            let console = &admin_console;
            async move {
                console
                    .call(
                        app::customers::update_customer_profile,
                        &[
                            ("id", id.as_str()),
                            ("version", version.as_str()),
                            ("form[first_name]", "Ada"),
                            ("form[last_name]", "Attr"),
                            ("form[external_id]", "ATTR-1"),
                            ("attributes[shoe_size]", size),
                            ("attributes[newsletter]", "yes"),
                            ("attributes[favourite_drink]", ""),
                        ],
                    )
                    .await
            }
        };
        let wrong = edit("big").await;
        assert_eq!(wrong.status(), 422, "{name}");
        let answer: Value = wrong.json().await.unwrap();
        assert_eq!(
            answer["Validation"]["field"], "attributes[shoe_size]",
            "{name}"
        );
        let saved = edit("10.5").await;
        assert_eq!(
            saved.status(),
            200,
            "{name}: {}",
            saved.text().await.unwrap()
        );
        assert_eq!(
            attributes(&db, &id).await,
            [
                ("newsletter".to_string(), "true".to_string()),
                ("shoe_size".to_string(), "10.5".to_string())
            ],
            "{name}: set, changed and removed from the edit"
        );

        let query = AdvancedQuery {
            attribute: "shoe_size".into(),
            value: "10.50".into(),
            size: 25,
            page: 1,
            ..Default::default()
        };
        let found = app::search::service::advanced(&db, &query, false)
            .await
            .unwrap();
        let ids: Vec<&str> = found.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, [id.as_str()], "{name}: found by exact value");

        let in_use = app::attributes::service::remove(&state, &admin, "shoe_size".into()).await;
        assert_eq!(
            in_use.unwrap_err().status_code(),
            409,
            "{name}: kept while held"
        );
        app::attributes::service::remove(&state, &admin, "favourite_drink".into())
            .await
            .unwrap();
    }
}
