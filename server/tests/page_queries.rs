//! How many SQL statements one page render costs (issue 41): the profile page and the search
//! page as an agent opens them, counted from sqlx's own statement log on both databases. Each
//! has a ceiling at today's count, so a change that adds a round trip to these pages fails here
//! and has to say why (raise the ceiling) or find another way. A binary of its own: SQLite runs
//! statements on worker threads, so the count is process-wide, and nothing else may run.
//! `SHOW_STATEMENTS=1 cargo test -p server --test page_queries -- --nocapture` lists them.

#![allow(clippy::unwrap_used)]

#[path = "suite/common/mod.rs"]
mod common;

use common::console::{spawn, Console};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Counts sqlx's statement events (`sqlx::query`, one per statement run), but the recently
/// viewed list's writes, which a visit leaves to a background flush a second later.
struct Statements(Arc<AtomicUsize>);

impl<S: Subscriber> Layer<S> for Statements {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            let mut summary = Summary(String::new());
            event.record(&mut summary);
            if summary.0.contains("recent_views") {
                return;
            }
            if std::env::var_os("SHOW_STATEMENTS").is_some() {
                eprintln!("  {}", summary.0);
            }
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The first words of a statement, as sqlx logs them (`SHOW_STATEMENTS=1` prints each).
struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "summary" {
            self.0 = value.to_string();
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}");
        }
    }
}

/// The most statements each page may run (SQLite, PostgreSQL).
const PROFILE_PAGE: usize = 10;
const SEARCH_PAGE: usize = 2;

#[tokio::test]
async fn the_profile_and_search_pages_keep_to_their_statement_counts() {
    let count = Arc::new(AtomicUsize::new(0));
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::filter::LevelFilter::TRACE)
        .with(Statements(count.clone()));
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 5).await;
        let base = spawn(db.clone(), Default::default()).await;
        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let id: String = sqlx::query_scalar("SELECT id FROM customers ORDER BY id LIMIT 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
        for (page, path, ceiling) in [
            ("profile", format!("/customers/{id}"), PROFILE_PAGE),
            ("search", "/search?q=Smith".to_string(), SEARCH_PAGE),
        ] {
            // Once to warm what is read once per process (the time zone, the bundle's routes)
            // and the organisation-wide values kept for a while (settings, event types).
            agent.get(&path).await.text().await.unwrap();
            count.store(0, Ordering::Relaxed);
            if std::env::var_os("SHOW_STATEMENTS").is_some() {
                eprintln!("{label}, the {page} page:");
            }
            let html = agent.get(&path).await.text().await.unwrap();
            assert!(html.len() > 1_000, "{label}: the {page} page rendered");
            let statements = count.load(Ordering::Relaxed);
            println!("{label}: the {page} page ran {statements} statements");
            assert!(statements > 0, "{label}: statements are counted");
            assert!(
                statements <= ceiling,
                "{label}: the {page} page ran {statements} statements, more than its {ceiling}"
            );
        }
    }
}
