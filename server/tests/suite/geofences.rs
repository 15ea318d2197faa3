//! Geofences on both databases: Admin → Locations checks each field where it is wrong, refuses
//! a taken name, an unknown store and a stale edit, audits every change and is for
//! settings.manage only; apps fetch the active ones with their publishable key; geofence events
//! name a geofence that exists and get its name written in; the Locations tab shows when the
//! customer was last seen in each and for how long, and the stores nearest the last; a name
//! with markup stays text on the page.

#![allow(clippy::unwrap_used)]

use crate::common;
use crate::common::console::{spawn, Console};
use app::api_keys::BrowserLimits;
use serde_json::{json, Value};

const APP: &str = "com.example.shop";

fn form<'a>(
    name: &'a str,
    lat: &'a str,
    radius: &'a str,
    store: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("form[name]", name),
        ("form[latitude]", lat),
        ("form[longitude]", "-0.1419"),
        ("form[radius_m]", radius),
        ("form[store_id]", store),
        ("form[active]", "on"),
    ]
}

#[tokio::test]
async fn admins_define_geofences_checked_at_their_fields_and_audited() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 2).await;
        let base = spawn(db.clone(), Default::default()).await;
        let admin = Console::signed_in(&base, "admin@demo.test").await;
        let save = |form: Vec<(&'static str, &'static str)>| {
            let admin = &admin;
            async move { admin.call(app::geofences::save_geofence, &form).await }
        };
        let field_of = |answer: Value| answer["Validation"]["field"].as_str().map(str::to_string);
        for (bad, field) in [
            (form("", "51.5", "150", ""), "name"),
            (form("Gate", "95", "150", ""), "latitude"),
            (form("Gate", "51.5", "5", ""), "radius_m"),
            (form("Gate", "51.5", "150", "NO-SUCH-STORE"), "store_id"),
        ] {
            let answer = save(bad).await;
            assert_eq!(answer.status(), 422, "{label} {field}");
            assert_eq!(
                field_of(answer.json().await.unwrap()).as_deref(),
                Some(field),
                "{label}"
            );
        }
        let created = save(form("Oxford Circus gate", "51,5154", "150", "")).await;
        assert_eq!(created.status(), 200, "{label}");
        let id: String = created.json().await.unwrap();
        let taken = save(form("OXFORD circus gate", "51.5", "150", "")).await;
        assert_eq!(
            taken.status(),
            409,
            "{label}: names are unique whatever their case"
        );

        let fence = app::geofences::db::list(&db, false).await.unwrap();
        let fence = fence.iter().find(|g| g.id == id).unwrap().clone();
        assert_eq!(
            (fence.latitude, fence.radius_m, fence.active),
            (51.5154, 150, true)
        );
        let seen = fence.updated_at.to_string();
        let mut edit = form("Oxford Circus gate", "51.5154", "300", "");
        edit.retain(|(name, _)| *name != "form[active]");
        edit.extend([("form[id]", id.as_str()), ("form[seen]", seen.as_str())]);
        assert_eq!(
            admin
                .call(app::geofences::save_geofence, &edit)
                .await
                .status(),
            200
        );
        let stale = admin.call(app::geofences::save_geofence, &edit).await;
        assert_eq!(
            stale.status(),
            409,
            "{label}: an edit of what changed since is refused"
        );
        let now = app::geofences::db::list(&db, false).await.unwrap();
        let now = now.iter().find(|g| g.id == id).unwrap();
        assert_eq!((now.radius_m, now.active), (300, false), "{label}");

        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE action LIKE 'geofences.%' ORDER BY at, action",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(actions, ["geofences.add", "geofences.update"], "{label}");

        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let refused = agent
            .call(
                app::geofences::save_geofence,
                &form("Agent gate", "51.5", "150", ""),
            )
            .await;
        assert_eq!(refused.status(), 403, "{label}: settings.manage only");
        let listed = agent.call(app::geofences::list_geofences, &[]).await;
        assert_eq!(listed.status(), 403, "{label}");
    }
}

async fn key_for_the_app(db: &app::store::Db) -> String {
    let limits = BrowserLimits {
        event_types: vec!["geofence_entered".into(), "geofence_exited".into()],
        origins: vec![format!("app:{APP}")],
        per_minute: 600,
    };
    app::api_keys::db::create_publishable(db.pool(), "Shop app", &limits, None, 0)
        .await
        .unwrap()
        .key
}

#[tokio::test]
async fn apps_fetch_active_geofences_and_the_locations_tab_shows_the_visits() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 2).await;
        let key = key_for_the_app(&db).await;
        let base = spawn(db.clone(), Default::default()).await;
        let client = reqwest::Client::new();
        let fetch = |app: &'static str| {
            client
                .get(format!("{base}/api/v1/geofences"))
                .header("x-api-key", &key)
                .header("x-client-app", app)
                .send()
        };
        let answer = fetch(APP).await.unwrap();
        assert_eq!(answer.status(), 200, "{label}");
        assert_eq!(answer.headers()["cache-control"], "private, max-age=300");
        let listed: Value = answer.json().await.unwrap();
        let listed = listed["geofences"].as_array().unwrap().clone();
        let all = app::geofences::db::list(&db, false).await.unwrap();
        assert_eq!(
            listed.len(),
            all.iter().filter(|g| g.active).count(),
            "{label}: active only"
        );
        assert!(
            listed.len() < all.len(),
            "{label}: the seeded closed pop-up is not listed"
        );
        assert_eq!(fetch("com.example.other").await.unwrap().status(), 403);
        let anonymous = client
            .get(format!("{base}/api/v1/geofences"))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401, "{label}");

        let fence = &listed[0];
        let fence_id = fence["id"].as_str().unwrap();
        let external = app::customers::db::external_ids(&db, 1).await.unwrap()[0].clone();
        let event = |id: &str, kind: &str, at: &str, payload: Value| {
            json!({"event_id": id, "type": kind, "occurred_at": at, "source": "android",
                   "customer": {"external_id": external}, "payload": payload})
        };
        let batch = json!({"events": [
            event("g-1", "geofence_entered", "2026-11-20T09:00:00Z", json!({"geofence_id": fence_id})),
            event("g-2", "geofence_exited", "2026-11-20T09:10:00Z",
                  json!({"geofence_id": fence_id, "dwell_seconds": 600, "geofence_name": "forged"})),
            event("g-3", "geofence_entered", "2026-11-20T09:20:00Z", json!({"geofence_id": "no-such-fence"})),
        ]});
        let answer: Value = client
            .post(format!("{base}/api/v1/events"))
            .header("x-api-key", &key)
            .header("x-client-app", APP)
            .json(&batch)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let results = answer["results"].as_array().unwrap();
        assert_eq!(results[0]["status"], "received", "{label}: {answer}");
        assert_eq!(results[1]["status"], "received", "{label}: {answer}");
        assert_eq!(results[2]["status"], "rejected", "{label}: {answer}");
        assert_eq!(
            results[2]["errors"][0]["field"], "payload.geofence_id",
            "{label}"
        );
        let name: String =
            sqlx::query_scalar("SELECT payload FROM events WHERE client_event_id = 'g-2'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let payload: Value = serde_json::from_str(&name).unwrap();
        assert_eq!(
            payload["geofence_name"], fence["name"],
            "{label}: the name is the console's"
        );

        let customer_id: String =
            sqlx::query_scalar("SELECT id FROM customers WHERE external_id = $1")
                .bind(&external)
                .fetch_one(db.pool())
                .await
                .unwrap();
        let state = common::state_of(&db).await;
        let tab = app::locations::service::get_customer_locations(&state, customer_id)
            .await
            .unwrap();
        let last = &tab.geofences[0];
        assert_eq!(last.geofence.id, fence_id, "{label}");
        assert_eq!(
            (last.last_dwell_seconds, last.inside),
            (Some(600), false),
            "{label}"
        );
        assert_eq!(tab.near_last_geofence.len(), 3, "{label}");
        let nearest = &tab.near_last_geofence[0];
        assert_eq!(
            Some(&nearest.store.id),
            last.geofence.store_id.as_ref(),
            "{label}: its own store first"
        );
    }
}

#[tokio::test]
async fn a_geofence_name_with_markup_stays_text_on_the_admin_screen_and_the_tab() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 2).await;
    let base = spawn(db.clone(), Default::default()).await;
    let admin = Console::signed_in(&base, "admin@demo.test").await;
    let hostile = "<img src=x onerror=alert(1)> gate";
    let saved = admin
        .call(
            app::geofences::save_geofence,
            &form(hostile, "51.5", "150", ""),
        )
        .await;
    assert_eq!(saved.status(), 200);
    let page = admin.get("/admin/locations").await.text().await.unwrap();
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt; gate"),
        "escaped on the page"
    );
    assert!(!page.contains("<img src=x"), "never markup");
}
