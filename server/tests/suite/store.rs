//! Store tests: the same assertions against SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

use crate::common;

use app::identity::identifier_candidates;
use app::search::db::find_by_identifier;

#[tokio::test]
async fn seeded_projections_match_the_event_stream() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 30).await;
        let mismatches: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT c.id, c.points_balance, CAST(COALESCE(SUM(e.points_delta), 0) AS BIGINT) AS total \
             FROM customers c LEFT JOIN events e ON e.customer_id = c.id \
             GROUP BY c.id, c.points_balance HAVING c.points_balance <> COALESCE(SUM(e.points_delta), 0)",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert!(
            mismatches.is_empty(),
            "{name}: balances differ from the ledger: {mismatches:?}"
        );
        let purchases: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE event_type = 'purchase'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let projected: i64 =
            sqlx::query_scalar("SELECT CAST(SUM(purchase_count) AS BIGINT) FROM customers")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(purchases, projected, "{name}: purchase counts");
        assert!(
            purchases > 30,
            "{name}: realistic history has purchases, got {purchases}"
        );
    }
}

#[tokio::test]
async fn the_same_seed_gives_the_same_data_on_both_databases() {
    let (dbs, _guard) = common::each_database().await;
    let mut fingerprints = Vec::new();
    for (name, db) in &dbs {
        common::seed(db, 20).await;
        let rows: Vec<(String, Option<String>, i64)> =
            sqlx::query_as("SELECT id, email, points_balance FROM customers ORDER BY id")
                .fetch_all(db.pool())
                .await
                .unwrap();
        fingerprints.push((*name, rows));
    }
    for pair in fingerprints.windows(2) {
        assert_eq!(
            pair[0].1, pair[1].1,
            "{} and {} differ",
            pair[0].0, pair[1].0
        );
    }
}

#[tokio::test]
async fn exact_search_finds_a_customer_by_each_identifier() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 10).await;
        let id: String = sqlx::query_scalar("SELECT id FROM customers WHERE email IS NOT NULL AND phone IS NOT NULL ORDER BY id LIMIT 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let profile = app::customers::db::profile(&db, &id)
            .await
            .unwrap()
            .unwrap();
        let typed = [
            profile.contact.email.clone().unwrap().to_uppercase(),
            profile
                .contact
                .phone
                .clone()
                .unwrap()
                .replacen("+44", "0", 1),
            profile.contact.card_number.clone().unwrap(),
            profile.contact.external_id.clone().unwrap(),
            id.clone(),
        ];
        for input in typed {
            let candidates = identifier_candidates(&input, "GB").unwrap();
            let found = find_by_identifier(&db, &candidates).await.unwrap();
            assert_eq!(
                found.as_deref(),
                Some(id.as_str()),
                "{name}: searching {input}"
            );
        }
        let nobody = identifier_candidates("nobody@example.com", "GB").unwrap();
        assert_eq!(
            find_by_identifier(&db, &nobody).await.unwrap(),
            None,
            "{name}"
        );
    }
}

#[tokio::test]
async fn event_pages_walk_the_whole_stream_newest_first_without_gaps() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 5).await;
        let id: String = sqlx::query_scalar(
            "SELECT customer_id FROM events GROUP BY customer_id ORDER BY COUNT(*) DESC, customer_id LIMIT 1",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE customer_id = $1")
            .bind(&id)
            .fetch_one(db.pool())
            .await
            .unwrap();
        let (mut seen, mut cursor) = (Vec::new(), None);
        loop {
            let page = app::events::db::page(&db, &id, &Default::default(), cursor, 7)
                .await
                .unwrap();
            seen.extend(page.events.into_iter().map(|e| (e.occurred_at, e.id)));
            match page.next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen.len() as i64, total, "{name}: every event once");
        assert!(
            seen.windows(2).all(|w| w[0] > w[1]),
            "{name}: strictly newest first"
        );
    }
}

#[tokio::test]
async fn stream_text_search_finds_types_as_shown_and_stores_in_any_case() {
    use app::events::db::{page, Filter};
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 5).await;
        let (id, store): (String, String) = sqlx::query_as(
            "SELECT e.customer_id, s.name FROM events e JOIN stores s ON s.id = e.store_id \
             GROUP BY e.customer_id, s.name ORDER BY COUNT(*) DESC, e.customer_id LIMIT 1",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        let ids = |events: Vec<app::events::EventView>| -> Vec<String> {
            events.into_iter().map(|e| e.id).collect()
        };
        let everything = ids(page(&db, &id, &Filter::default(), None, 100_000)
            .await
            .unwrap()
            .events);
        let search = |text: String| {
            let (db, id) = (db.clone(), id.clone());
            async move {
                let filter = Filter {
                    types: &[],
                    search: Some(&text),
                };
                ids(page(&db, &id, &filter, None, 100_000).await.unwrap().events)
            }
        };
        let expected = |sql: &'static str, arg: String| {
            let (db, id) = (db.clone(), id.clone());
            async move {
                sqlx::query_scalar::<_, String>(sql)
                    .bind(id)
                    .bind(arg)
                    .fetch_all(db.pool())
                    .await
                    .unwrap()
            }
        };

        let earned = expected(
            "SELECT id FROM events WHERE customer_id = $1 AND event_type = $2",
            "points_earned".into(),
        )
        .await;
        let found = search("Points Earned".into()).await;
        assert!(!earned.is_empty(), "{name}: the customer earned points");
        assert!(
            earned.iter().all(|e| found.contains(e)),
            "{name}: the type as the stream shows it finds every such event"
        );
        assert!(found.len() < everything.len(), "{name}: and not everything");

        let at_store = expected(
            "SELECT e.id FROM events e JOIN stores s ON s.id = e.store_id \
             WHERE e.customer_id = $1 AND s.name = $2",
            store.clone(),
        )
        .await;
        let found = search(store.to_uppercase()).await;
        assert!(
            at_store.iter().all(|e| found.contains(e)),
            "{name}: the store's name in capitals finds every event there"
        );
        assert!(found.len() < everything.len(), "{name}: and not everything");

        assert!(
            search("%".into()).await.len() < everything.len(),
            "{name}: a wildcard is searched for as itself"
        );
    }
}

#[tokio::test]
async fn a_write_transaction_that_reads_first_waits_for_other_writers_instead_of_failing() {
    use app::settings::db::set_setting;
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        let mut tx = db.begin_write().await.unwrap();
        let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM settings")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        // Another connection writes meanwhile (on SQLite it waits for this transaction).
        let other = {
            let db = db.clone();
            tokio::spawn(async move { set_setting(db.pool(), "probe_other", "1").await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        set_setting(&mut *tx, "probe_tx", "1").await.unwrap();
        tx.commit().await.unwrap();
        other.await.unwrap().unwrap();
        let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM settings")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(after, before + 2, "{name}: both writes kept");
    }
}

#[tokio::test]
async fn a_duplicate_email_is_refused_by_the_database() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 2).await;
        let (holder, email): (String, String) = sqlx::query_as(
            "SELECT customer_id, normalized FROM customer_identifiers WHERE kind = 'email' LIMIT 1",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        let other: String = sqlx::query_scalar("SELECT id FROM customers WHERE id <> $1 LIMIT 1")
            .bind(&holder)
            .fetch_one(db.pool())
            .await
            .unwrap();
        let mut tx = db.begin_write().await.unwrap();
        let second_holder = app::identity::db::NewIdentifier {
            customer_id: &other,
            kind: "email",
            normalized: &email,
            value: &email,
            is_primary: false,
            source: "console",
            added_at: 0,
        };
        let result = app::identity::db::insert(&mut tx, &[second_holder]).await;
        let error = result.expect_err(name);
        assert!(
            error
                .as_database_error()
                .is_some_and(|e| e.is_unique_violation()),
            "{name}: {error}"
        );
    }
}

#[tokio::test]
async fn migrating_twice_changes_nothing() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        db.migrate().await.unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[tokio::test]
async fn a_bad_database_url_is_one_clear_line() {
    let error = app::store::Db::connect("mysql://nope").await.unwrap_err();
    assert!(error.starts_with("unsupported DATABASE_URL"), "{error}");
    let error = app::store::Db::connect("sqlite:///proc/forbidden/x.db")
        .await
        .unwrap_err();
    assert!(error.contains("data directory"), "{error}");
    assert!(!error.contains('\n'));
}

#[tokio::test]
async fn advanced_search_matches_folded_prefixes_sorts_and_pages_alike_on_both_databases() {
    use app::search::advanced::{AdvancedQuery, SortOrder};
    let (dbs, _guard) = common::each_database().await;
    let mut outcomes = Vec::new();
    for (name, db) in dbs {
        common::seed(&db, 200).await;
        let search = |query: AdvancedQuery| {
            let db = db.clone();
            async move {
                app::search::service::advanced(&db, &query, true)
                    .await
                    .unwrap()
            }
        };
        let s_names = search(AdvancedQuery {
            first: "S".into(),
            size: 200,
            page: 1,
            ..Default::default()
        })
        .await;
        assert!(s_names.total > 5, "{name}: {}", s_names.total);
        assert!(
            s_names.rows.iter().all(|r| {
                app::customers::search_key(r.first_name.as_deref().unwrap_or("")).starts_with('s')
            }),
            "{name}"
        );
        let folded: Vec<String> = s_names
            .rows
            .iter()
            .map(|r| app::customers::search_key(r.last_name.as_deref().unwrap_or("")))
            .collect();
        let mut sorted = folded.clone();
        sorted.sort();
        assert_eq!(folded, sorted, "{name}: alphabetical by last name");

        let accented = search(AdvancedQuery {
            first: "SIOBHAN".into(),
            size: 200,
            page: 1,
            ..Default::default()
        })
        .await;
        assert!(
            accented
                .rows
                .iter()
                .all(|r| r.first_name.as_deref() == Some("Siobhán")),
            "{name}"
        );

        let by_phone = search(AdvancedQuery {
            first: "S".into(),
            sort: SortOrder::Phone,
            size: 200,
            page: 1,
            ..Default::default()
        })
        .await;
        let phones: Vec<Option<String>> = by_phone.rows.iter().map(|r| r.phone.clone()).collect();
        let first_none = phones
            .iter()
            .position(Option::is_none)
            .unwrap_or(phones.len());
        assert!(
            phones[first_none..].iter().all(Option::is_none),
            "{name}: no phone sorts last"
        );
        let mut sorted_phones = phones[..first_none].to_vec();
        sorted_phones.sort();
        assert_eq!(
            phones[..first_none].to_vec(),
            sorted_phones,
            "{name}: sorted by phone"
        );

        let page_one = search(AdvancedQuery {
            first: "S".into(),
            size: 25,
            page: 1,
            ..Default::default()
        })
        .await;
        let page_two = search(AdvancedQuery {
            first: "S".into(),
            size: 25,
            page: 2,
            ..Default::default()
        })
        .await;
        let ids_all: Vec<String> = s_names.rows.iter().map(|r| r.id.clone()).collect();
        let paged: Vec<String> = page_one
            .rows
            .iter()
            .chain(&page_two.rows)
            .map(|r| r.id.clone())
            .collect();
        assert_eq!(
            paged,
            ids_all[..paged.len()].to_vec(),
            "{name}: pages follow each other"
        );

        let masked = app::search::service::advanced(
            &db,
            &AdvancedQuery {
                first: "S".into(),
                size: 25,
                page: 1,
                ..Default::default()
            },
            false,
        )
        .await
        .unwrap();
        assert!(
            masked
                .rows
                .iter()
                .filter_map(|r| r.email.as_deref())
                .all(|e| e.contains("•••")),
            "{name}"
        );
        outcomes.push((
            name,
            ids_all,
            by_phone
                .rows
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>(),
        ));
    }
    for pair in outcomes.windows(2) {
        assert_eq!(
            pair[0].1, pair[1].1,
            "{} and {} order names alike",
            pair[0].0, pair[1].0
        );
        assert_eq!(
            pair[0].2, pair[1].2,
            "{} and {} order phones alike",
            pair[0].0, pair[1].0
        );
    }
}

#[tokio::test]
async fn broad_search_walks_give_the_pages_that_sorting_every_match_gives() {
    use app::search::advanced::{AdvancedQuery, SortOrder};
    use sqlx::Row;
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 300).await;
        let page_ids = |sql: String, values: Vec<String>| {
            let db = db.clone();
            async move {
                let mut query = sqlx::query(&sql);
                for value in values {
                    query = query.bind(value);
                }
                let rows = query.fetch_all(db.pool()).await.unwrap();
                rows.iter()
                    .map(|row| row.get::<String, _>("id"))
                    .collect::<Vec<_>>()
            }
        };
        // The index walks are chosen only above BROAD_MATCHES; here both forms run on the same
        // data, so each walk must give exactly the page that collecting and sorting gives.
        for first in ["S", "Si", "Sio", "Siob", "Oli", "Oliv", "Mat", "Zzz"] {
            for sort in [
                SortOrder::Email,
                SortOrder::Phone,
                SortOrder::LastName,
                SortOrder::FirstName,
            ] {
                for page in [1, 2] {
                    let query = AdvancedQuery {
                        first: first.into(),
                        sort,
                        size: 25,
                        page,
                        ..Default::default()
                    }
                    .normalise("GB")
                    .unwrap();
                    let (sorted_sql, _, sorted_values) =
                        app::search::db::advanced_sql(&query, false);
                    let (walk_sql, _, walk_values) = app::search::db::advanced_sql(&query, true);
                    let sorted = page_ids(sorted_sql, sorted_values).await;
                    let walked = page_ids(walk_sql, walk_values).await;
                    assert_eq!(walked, sorted, "{name}: {first} by {sort:?}, page {page}");
                    if page == 1 && ["S", "Sio", "Oli", "Mat"].contains(&first) {
                        assert!(!walked.is_empty(), "{name}: {first} finds customers");
                    }
                }
            }
        }
    }
}
