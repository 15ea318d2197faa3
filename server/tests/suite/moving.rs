//! `move`: an embedded SQLite installation carried to PostgreSQL, then read back table by
//! table and customer by customer.

use crate::common::{self, user, version};
use app::auth::Role;
use app::merge::service::MergeRequest;
use app::state::{AppState, Config};
use app::store::Db;
use server::moving::MoveArgs;

/// Merges `absorbed` into `survivor`; the merge's id.
async fn merge(state: &AppState, survivor: &str, absorbed: &str) -> String {
    let db = &state.db;
    let request = MergeRequest {
        survivor_id: survivor.into(),
        absorbed_id: absorbed.into(),
        survivor_version: version(db, survivor).await,
        absorbed_version: version(db, absorbed).await,
        keep_absorbed: Vec::new(),
        confirm_restricted: false,
    };
    app::merge::service::merge(state, &user(Role::Supervisor), request)
        .await
        .unwrap()
        .merge_id
}

/// Customer `id`'s export as its sorted lines.
async fn export(state: &AppState, id: &str) -> Vec<String> {
    let mut chunks = app::privacy::export::start(state, user(Role::Admin), id.into())
        .await
        .unwrap();
    let mut bytes = Vec::new();
    while let Some(chunk) = chunks.recv().await {
        bytes.extend(chunk.unwrap());
    }
    let mut lines: Vec<String> = String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// A demo installation with records of most kinds: seeded history and users, pairs of likely
/// duplicates, a merge, a merge undone, a forgotten customer, an extra identifier, a note.
async fn installation(db: &Db) -> AppState {
    let args = server::seed::SeedArgs {
        customers: 30,
        seed: 5,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 1),
        without_events: false,
        duplicates: 1,
    };
    server::seed::run(db, &args).await.unwrap();
    let state = AppState::new(db.clone(), Config::default()).await.unwrap();
    let pairs = app::duplicates::service::list(&state, &user(Role::Admin), "email".into(), None)
        .await
        .unwrap();
    let [(a, _), (b, _)] = pairs.groups[0].customers.as_slice() else {
        panic!("a pair: {pairs:?}");
    };
    merge(&state, a, b).await;
    let pairs = app::duplicates::service::list(&state, &user(Role::Admin), "phone".into(), None)
        .await
        .unwrap();
    let [(c, _), (d, _)] = pairs.groups[0].customers.as_slice() else {
        panic!("a pair: {pairs:?}");
    };
    let undone = merge(&state, c, d).await;
    app::merge::service::undo(&state, &user(Role::Supervisor), c.clone(), undone)
        .await
        .unwrap();
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM customers ORDER BY id LIMIT 3")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let admin = user(Role::Admin);
    let confirmed = app::privacy::FORGET_CONFIRMATION.to_string();
    app::privacy::service::forget(&state, &admin, ids[0].clone(), confirmed)
        .await
        .unwrap();
    app::identity::service::add(
        &state,
        &admin,
        ids[1].clone(),
        "email".into(),
        "Second.Address@example.com".into(),
        false,
    )
    .await
    .unwrap();
    let note = "Called about a parcel.\nSaid: \"back\\slash\ttab\" ✓";
    app::notes::service::add(&state, &admin, ids[2].clone(), String::new(), note.into())
        .await
        .unwrap();
    state
}

#[tokio::test]
async fn a_sqlite_installation_moves_to_postgres_whole_and_verified() {
    let Some(target) = common::postgres().await else {
        return;
    };
    let (source, _guard) = common::sqlite().await;
    let state = installation(&source).await;
    let to = move_to(&target);
    let report = server::moving::run(&source, &to).await.unwrap();
    assert!(report.contains("every table read back"), "{report}");
    let moved = AppState::new(target.clone(), Config::default())
        .await
        .unwrap();
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM customers ORDER BY id")
        .fetch_all(source.pool())
        .await
        .unwrap();
    assert_eq!(
        ids.len(),
        30 + 8 - 2,
        "the merged-away and forgotten are gone"
    );
    for id in &ids {
        assert_eq!(export(&state, id).await, export(&moved, id).await, "{id}");
    }

    // Into a database that holds customers: refused.
    let again = server::moving::run(&source, &to).await.unwrap_err();
    assert!(again.contains("already holds"), "{again}");
    // An interrupted move (its mark left behind) is started again and ends equal.
    sqlx::query("CREATE TABLE customer_profiles_move (started_at BIGINT)")
        .execute(target.pool())
        .await
        .unwrap();
    server::moving::run(&source, &to).await.unwrap();
    let counts = "SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM audit_log)";
    let count = |db: &Db| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(counts)
                .fetch_one(db.pool())
                .await
                .unwrap()
        }
    };
    assert_eq!(count(&source).await, count(&target).await);

    // The old console stays in maintenance until the move is given up (after a kill).
    assert!(paused(&source).await);
    let cancel = MoveArgs { cancel: true, ..to };
    server::moving::run(&source, &cancel).await.unwrap();
    assert!(
        !paused(&source).await,
        "out of maintenance, change log gone"
    );
}

/// The move to `target`.
fn move_to(target: &Db) -> MoveArgs {
    MoveArgs {
        to: target.url().to_string(),
        cancel: false,
    }
}

/// Whether `db` is in maintenance or holds a move's change log.
async fn paused(db: &Db) -> bool {
    let (maintenance, watched): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM maintenance), \
         (SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'customer_profiles_move%')",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    maintenance + watched > 0
}

/// Event `i` of the stream sent during a move, for one of `customers`.
fn streamed(i: usize, customers: &[String]) -> serde_json::Value {
    serde_json::json!({
        "event_id": format!("moving-{i}"),
        "type": "app_session",
        "occurred_at": "2026-11-20T09:00:00Z",
        "customer": {"external_id": customers[i % customers.len()]},
        "source": "app",
        "payload": {"platform": "iOS"},
    })
}

/// Sends batches of five events to the source's ingest API until it answers 503
/// (maintenance); that batch and twenty more then go to the moved console, once it is there.
/// How many events each took.
async fn keep_sending(
    source: String,
    moved: tokio::sync::watch::Receiver<Option<String>>,
    key: String,
    customers: Vec<String>,
) -> (usize, usize) {
    let (mut to_source, mut to_moved, mut next) = (0, 0, 0);
    let mut batch = || {
        let events: Vec<_> = (next..next + 5).map(|i| streamed(i, &customers)).collect();
        next += 5;
        serde_json::json!({ "events": events })
    };
    loop {
        let body = batch();
        let (status, answer) = common::post_events(&source, &key, &body).await;
        if status == 200 {
            to_source += 5;
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            continue;
        }
        assert_eq!(
            (status, &answer["error"]["code"]),
            (503, &serde_json::json!("maintenance"))
        );
        let mut moved = moved.clone();
        let target = moved
            .wait_for(Option::is_some)
            .await
            .unwrap()
            .clone()
            .unwrap();
        for body in std::iter::once(body).chain((0..20).map(|_| batch())) {
            let (status, answer) = common::post_events(&target, &key, &body).await;
            assert_eq!(status, 200, "{answer}");
            to_moved += 5;
        }
        return (to_source, to_moved);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_sent_while_the_console_moves_arrive_exactly_once() {
    let Some(target) = common::postgres().await else {
        return;
    };
    let (source, _guard) = common::sqlite().await;
    let (base, key) = common::server_with_key(&source, 20).await;
    let customers: Vec<String> = sqlx::query_scalar(
        "SELECT external_id FROM customers WHERE external_id IS NOT NULL ORDER BY id",
    )
    .fetch_all(source.pool())
    .await
    .unwrap();
    let (moved_tx, moved_rx) = tokio::sync::watch::channel(None);
    let sender = tokio::spawn(keep_sending(base, moved_rx, key, customers));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let to = move_to(&target);
    server::moving::run(&source, &to).await.unwrap();
    let moved_base = common::console::spawn(target.clone(), Default::default()).await;
    moved_tx.send_replace(Some(moved_base));
    let (to_source, to_moved) = sender.await.unwrap();
    assert!(to_source > 0, "events went in before the move");
    let sent = (to_source + to_moved) as i64;
    let (ids, distinct): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT client_event_id) FROM events \
         WHERE client_event_id LIKE 'moving-%'",
    )
    .fetch_one(target.pool())
    .await
    .unwrap();
    assert_eq!(
        (ids, distinct),
        (sent, sent),
        "{to_source} to the source, {to_moved} after"
    );
}

#[tokio::test]
async fn in_maintenance_every_change_is_refused_and_every_page_says_so() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        let (base, key) = common::server_with_key(&db, 3).await;
        let admin = common::console::Console::signed_in(&base, "admin@demo.test").await;
        common::set_maintenance(&db, true).await;
        let page = admin.get("/").await.text().await.unwrap();
        assert!(page.contains(app::maintenance::BANNER), "{name}");
        let event = serde_json::json!({"events": [{
            "event_id": "paused-1", "type": "app_session", "customer": {"external_id": "CRM-00000031"},
            "payload": {}
        }]});
        let response = reqwest::Client::new()
            .post(format!("{base}/api/v1/events"))
            .header("x-api-key", &key)
            .json(&event)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 503, "{name}");
        assert_eq!(response.headers()["retry-after"], "30", "{name}");
        let answer: serde_json::Value = response.json().await.unwrap();
        assert_eq!(answer["error"]["code"], "maintenance", "{name}: {answer}");
        let form = [
            ("form[first_name]", "Paused"),
            ("form[external_id]", "PAUSED-1"),
            ("form[status_id]", "active"),
        ];
        let refused = admin.call(app::customers::create_customer, &form).await;
        assert_eq!(refused.status(), 503, "{name}");
        let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(customers, 3, "{name}: nothing written");
    }
}

#[tokio::test]
async fn a_move_that_does_not_arrive_equal_is_refused_and_the_source_serves_on() {
    let Some(target) = common::postgres().await else {
        return;
    };
    let (source, _guard) = common::sqlite().await;
    installation(&source).await;
    // The target changes what it is given: every note's text in capitals (Citus takes a
    // trigger on a distributed table only when told it may; PostgreSQL ignores the setting).
    let mut conn = target.pool().acquire().await.unwrap();
    for sql in [
        "SET citus.enable_unsafe_triggers TO on",
        "CREATE FUNCTION shout() RETURNS trigger AS $$ BEGIN NEW.body := upper(NEW.body); \
         RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER shout BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION shout()",
    ] {
        sqlx::raw_sql(sql).execute(&mut *conn).await.unwrap();
    }
    drop(conn);
    let to = move_to(&target);
    let refused = server::moving::run(&source, &to).await.unwrap_err();
    assert!(refused.contains("notes: the rows differ"), "{refused}");
    assert!(
        !paused(&source).await,
        "the source is out of maintenance and its change log gone"
    );
}

#[tokio::test]
async fn a_move_killed_in_the_middle_resumes_and_ends_equal() {
    let Some(target) = common::postgres().await else {
        return;
    };
    let (source, guard) = common::sqlite().await;
    let state = installation(&source).await;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_customer-profiles"))
        .args(["--database-url", source.url(), "move", "--to", target.url()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once it has copied a few tables, long before the events.
    let copied = "SELECT COUNT(*) FROM customer_profiles_move WHERE tbl <> ''";
    let mut done = 0;
    for _ in 0..2_000 {
        done = sqlx::query_scalar(copied)
            .fetch_one(target.pool())
            .await
            .unwrap_or(0);
        if done >= 3 || child.try_wait().unwrap().is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success() && done >= 3, "killed after {done} tables");
    let note = "Written after the kill, before the move resumed.";
    let customer: String = sqlx::query_scalar("SELECT id FROM customers ORDER BY id DESC LIMIT 1")
        .fetch_one(source.pool())
        .await
        .unwrap();
    app::notes::service::add(
        &state,
        &user(Role::Admin),
        customer.clone(),
        String::new(),
        note.into(),
    )
    .await
    .unwrap();
    let to = move_to(&target);
    server::moving::run(&source, &to).await.unwrap();
    let moved = AppState::new(target.clone(), Config::default())
        .await
        .unwrap();
    assert_eq!(
        export(&state, &customer).await,
        export(&moved, &customer).await
    );
    assert!(export(&moved, &customer)
        .await
        .iter()
        .any(|line| line.contains(note)));
    drop(guard);
}
