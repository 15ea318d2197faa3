//! Recently viewed customers on both databases: opening a profile puts the customer first on
//! that user's list only, the list keeps ten, and a forgotten customer leaves it.

#![allow(clippy::unwrap_used)]

use crate::common;

use crate::common::console::{spawn, Console};
use serde_json::Value;
use std::time::Duration;

/// The ids on `console`'s list once it has `expected_first` first (waits up to two seconds).
async fn list_once_first(console: &Console, expected_first: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..40 {
        let response = console.call(app::recent::recently_viewed, &[]).await;
        assert_eq!(response.status(), 200);
        let list: Value = response.json().await.unwrap();
        ids = list
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        if ids.first().map(String::as_str) == Some(expected_first) {
            return ids;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{expected_first} never came first: {ids:?}");
}

/// Opens customer `id`'s profile header; views are at least a millisecond apart, so "latest"
/// is never a tie.
async fn open(console: &Console, id: &str) {
    tokio::time::sleep(Duration::from_millis(2)).await;
    let response = console
        .call(app::customers::get_customer_header, &[("id", id)])
        .await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn opened_profiles_come_first_for_their_user_only_ten_kept_forgotten_gone() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 12).await;
        let base = spawn(db.clone(), Default::default()).await;
        let mut ids = Vec::new();
        for external in app::customers::db::external_ids(&db, 12).await.unwrap() {
            ids.push(
                app::identity::db::owner(&db, "external_id", &external)
                    .await
                    .unwrap()
                    .unwrap(),
            );
        }
        let agent = Console::signed_in(&base, "agent@demo.test").await;

        open(&agent, &ids[0]).await;
        // Written within a second without anyone asking for the list.
        let mut written: i64 = 0;
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            written =
                sqlx::query_scalar("SELECT COUNT(*) FROM recent_views WHERE customer_id = $1")
                    .bind(&ids[0])
                    .fetch_one(db.pool())
                    .await
                    .unwrap();
            if written == 1 {
                break;
            }
        }
        assert_eq!(written, 1, "{label}: the view is written in the background");
        list_once_first(&agent, &ids[0]).await;
        open(&agent, &ids[1]).await;
        list_once_first(&agent, &ids[1]).await;
        open(&agent, &ids[0]).await;
        assert_eq!(
            list_once_first(&agent, &ids[0]).await,
            vec![ids[0].clone(), ids[1].clone()],
            "{label}: opened again, first again, listed once"
        );

        let associate = Console::signed_in(&base, "associate@demo.test").await;
        let theirs: Value = associate
            .call(app::recent::recently_viewed, &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            theirs,
            Value::Array(vec![]),
            "{label}: each user has their own"
        );
        let nobody = Console::new(&base)
            .call(app::recent::recently_viewed, &[])
            .await;
        assert_eq!(nobody.status(), 401, "{label}: signed out");

        for id in &ids[1..] {
            open(&agent, id).await;
            list_once_first(&agent, id).await;
        }
        let kept = list_once_first(&agent, &ids[11]).await;
        let newest_ten: Vec<String> = ids[2..].iter().rev().cloned().collect();
        assert_eq!(kept, newest_ten, "{label}: the ten latest, latest first");

        let privacy = Console::signed_in(&base, "privacy@demo.test").await;
        let confirm = [
            ("customer_id", ids[11].as_str()),
            ("confirmation", "FORGET"),
        ];
        assert_eq!(
            privacy
                .call(app::privacy::forget_customer, &confirm)
                .await
                .status(),
            200,
            "{label}"
        );
        let after = list_once_first(&agent, &ids[10]).await;
        assert!(!after.contains(&ids[11]), "{label}: forgotten, gone");
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM recent_views WHERE customer_id = $1")
                .bind(&ids[11])
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(left, 0, "{label}: no row left behind");
    }
}
