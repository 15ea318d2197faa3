//! The typed Rust client against the real server on both databases: a batcher sends more than
//! one request's worth, a re-send stores nothing twice, per-event rejections come back with the
//! event's id and field, a bad key is refused whole, and an unreachable server is retried,
//! then given up on.

#![allow(clippy::unwrap_used)]

use crate::common;
use customer_profiles_client::{Client, CustomerRef, Error, EventIn};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn the_client_batches_retries_and_reports_per_event() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let (base, key) = common::server_with_key(&db, 3).await;
        let external = app::customers::db::external_ids(&db, 3).await.unwrap()[0].clone();
        let client = Client::new(&base, &key);
        let events: Vec<EventIn> = (0..2_500)
            .map(|n| {
                EventIn::new(
                    "app_session",
                    CustomerRef::ExternalId(external.clone()),
                    json!({"platform": "client"}),
                )
                .id(format!("client-{n}"))
                .source("client")
            })
            .collect();
        let mut batcher = client.batcher();
        for event in events.iter().cloned() {
            batcher.push(event).await.unwrap();
        }
        batcher
            .push(
                EventIn::new(
                    "purchase",
                    CustomerRef::ExternalId(external.clone()),
                    json!({"amount_cents": "seven"}),
                )
                .id("client-bad"),
            )
            .await
            .unwrap();
        let totals = batcher.finish().await.unwrap();
        assert_eq!((totals.accepted, totals.duplicates), (2_500, 0), "{label}");
        assert_eq!(totals.rejected.len(), 1, "{label}");
        assert_eq!(totals.rejected[0].0, "client-bad");
        assert!(
            totals.rejected[0]
                .1
                .iter()
                .any(|e| e.field == "payload.amount_cents"),
            "{label}: {:?}",
            totals.rejected[0].1
        );

        let again = client.send(&events[..1_000]).await.unwrap();
        assert_eq!((again.accepted, again.duplicates), (0, 1_000), "{label}");

        let wrong = Client::new(&base, "cpk_wrong").send(&events[..1]).await;
        assert!(
            matches!(&wrong, Err(Error::Refused { status: 401, code, .. }) if code == "invalid_api_key"),
            "{label}: {wrong:?}"
        );
        let too_many = client.send(&vec![events[0].clone(); 1_001]).await;
        assert!(matches!(too_many, Err(Error::TooMany(1_001))), "{label}");
    }

    // Nothing listens: every attempt fails, then the client gives up and says so.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::new(&closed, "cpk_any").retrying(3, Duration::from_millis(10));
    let event = EventIn::new(
        "app_session",
        CustomerRef::Email("a@b.example".into()),
        json!({}),
    );
    let gave_up = client.send(&[event]).await;
    assert!(
        matches!(gave_up, Err(Error::GaveUp { attempts: 3, .. })),
        "{gave_up:?}"
    );
}
