//! Test helpers: fresh databases of both dialects, and a running server.

#![allow(dead_code, clippy::unwrap_used)]

pub mod console;

use app::store::Db;
use sqlx::{Connection, Executor};

/// Runs the `customer-profiles` binary with `args`: whether it succeeded, and what it printed.
pub fn run_binary(args: &[&str]) -> (bool, String) {
    printed(
        std::process::Command::new(env!("CARGO_BIN_EXE_customer-profiles"))
            .args(args)
            .output()
            .unwrap(),
    )
}

/// Whether a finished command succeeded, and what it printed (stdout, then stderr).
pub fn printed(output: std::process::Output) -> (bool, String) {
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

/// A fresh, migrated SQLite database in a temporary folder (kept alive by the returned guard).
pub async fn sqlite() -> (Db, tempdir::Guard) {
    let (db, guard) = empty_sqlite().await;
    db.migrate().await.unwrap();
    (db, guard)
}

/// A fresh SQLite database with no tables yet.
async fn empty_sqlite() -> (Db, tempdir::Guard) {
    let guard = tempdir::Guard::create();
    let db = Db::connect(&format!("sqlite://{}/test.db", guard.path()))
        .await
        .unwrap();
    (db, guard)
}

/// A fresh, migrated PostgreSQL database on the server named by `TEST_POSTGRES_URL`.
/// Without that variable the PostgreSQL half is skipped locally and fails in CI.
pub async fn postgres() -> Option<Db> {
    let db = empty_postgres().await?;
    db.migrate().await.unwrap();
    Some(db)
}

/// Both databases with no tables yet, for migration tests.
pub async fn each_empty_database() -> (Vec<(&'static str, Db)>, tempdir::Guard) {
    let (sqlite, guard) = empty_sqlite().await;
    let mut all = vec![("sqlite", sqlite)];
    if let Some(pg) = empty_postgres().await {
        all.push(("postgres", pg));
    }
    (all, guard)
}

/// A fresh PostgreSQL database with no tables yet (see [`postgres`]).
async fn empty_postgres() -> Option<Db> {
    let Ok(admin_url) = std::env::var("TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must set TEST_POSTGRES_URL"
        );
        eprintln!("TEST_POSTGRES_URL not set: skipping the PostgreSQL half");
        return None;
    };
    let name = format!("cp_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    let base = admin_url.rsplit_once('/').unwrap().0;
    if let Ok(workers) = std::env::var("TEST_CITUS_WORKERS") {
        make_citus_cluster(base, &name, &workers).await;
    }
    Some(Db::connect(&format!("{base}/{name}")).await.unwrap())
}

/// With `TEST_CITUS_WORKERS` (`host:port,host:port`), `TEST_POSTGRES_URL` names a Citus
/// coordinator: the new database is created on each worker too, gets the extension on every
/// node, and the coordinator registers the workers, so `migrate` distributes its schema.
async fn make_citus_cluster(coordinator: &str, name: &str, workers: &str) {
    let user = coordinator
        .rsplit_once("//")
        .unwrap()
        .1
        .split('@')
        .next()
        .unwrap();
    for worker in workers.split(',') {
        let mut admin =
            sqlx::PgConnection::connect(&format!("postgres://{user}@{worker}/postgres"))
                .await
                .unwrap();
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        let mut node = sqlx::PgConnection::connect(&format!("postgres://{user}@{worker}/{name}"))
            .await
            .unwrap();
        node.execute("CREATE EXTENSION citus").await.unwrap();
    }
    let mut node = sqlx::PgConnection::connect(&format!("{coordinator}/{name}"))
        .await
        .unwrap();
    node.execute("CREATE EXTENSION citus").await.unwrap();
    let host = coordinator.rsplit_once('@').unwrap().1;
    let (host, port) = host.split_once(':').unwrap_or((host, "5432"));
    node.execute(format!("SELECT citus_set_coordinator_host('{host}', {port})").as_str())
        .await
        .unwrap();
    for worker in workers.split(',') {
        let (host, port) = worker.split_once(':').unwrap();
        node.execute(format!("SELECT citus_add_node('{host}', {port})").as_str())
            .await
            .unwrap();
    }
}

/// Both databases, labelled, for tests that must pass on each.
pub async fn each_database() -> (Vec<(&'static str, Db)>, tempdir::Guard) {
    let (sqlite, guard) = sqlite().await;
    let mut all = vec![("sqlite", sqlite)];
    if let Some(pg) = postgres().await {
        all.push(("postgres", pg));
    }
    (all, guard)
}

/// Seeds `customers` deterministic customers.
pub async fn seed(db: &Db, customers: u64) {
    let args = server::seed::SeedArgs {
        customers,
        seed: 11,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 1),
        without_events: false,
        duplicates: 0,
    };
    server::seed::run(db, &args).await.unwrap();
}

/// Seeds `customers`, creates an ingest API key and starts the server: (base URL, key).
pub async fn server_with_key(db: &Db, customers: u64) -> (String, String) {
    seed(db, customers).await;
    let key = app::api_keys::db::create(db.pool(), "tests", None, app::time::now_millis())
        .await
        .unwrap()
        .key;
    let base = console::spawn(db.clone(), Default::default()).await;
    (base, key)
}

/// Sends well-formed `events` to the ingest API of `base` with `key` through the typed Rust
/// client (hand-built JSON is for the tests of malformed bodies).
pub async fn send_events(
    base: &str,
    key: &str,
    events: Vec<customer_profiles_client::EventIn>,
) -> customer_profiles_client::IngestReport {
    customer_profiles_client::Client::new(base, key)
        .send(&events)
        .await
        .unwrap()
}

/// Posts `body` to the ingest API of `base` with `key`: (status, JSON answer).
pub async fn post_events(
    base: &str,
    key: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1/events"))
        .header("x-api-key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// Adds customer `first last` with `external_id` through the console as `admin`; their id.
pub async fn add_customer(
    db: &Db,
    admin: &console::Console,
    first: &str,
    last: &str,
    external_id: &str,
) -> String {
    let form = [
        ("form[first_name]", first),
        ("form[last_name]", last),
        ("form[external_id]", external_id),
        ("form[status_id]", "active"),
    ];
    add_customer_from(db, admin, &form).await
}

/// Adds the customer of `form` (holding `form[external_id]`) through the console as `user`;
/// their id.
pub async fn add_customer_from(db: &Db, user: &console::Console, form: &[(&str, &str)]) -> String {
    let created = user.call(app::customers::create_customer, form).await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());
    let external_id = form
        .iter()
        .find(|(key, _)| *key == "form[external_id]")
        .map(|(_, value)| *value)
        .unwrap();
    let ignore_case = app::settings::db::external_ids_ignore_case(db)
        .await
        .unwrap();
    let key = app::identity::fold_external_id(external_id, ignore_case);
    app::identity::db::owner(db, "external_id", &key)
        .await
        .unwrap()
        .unwrap()
}

pub mod tempdir {
    /// A temporary folder removed on drop.
    pub struct Guard(std::path::PathBuf);

    impl Guard {
        pub fn create() -> Self {
            let path =
                std::env::temp_dir().join(format!("cp-test-{}", uuid::Uuid::new_v4().simple()));
            std::fs::create_dir_all(&path).unwrap();
            Self(path)
        }

        pub fn path(&self) -> String {
            self.0.display().to_string()
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// The state of a server over `db` with the default configuration, for calling services
/// directly.
pub async fn state_of(db: &Db) -> app::state::AppState {
    app::state::AppState::new(db.clone(), Default::default())
        .await
        .unwrap()
}

/// A signed-in user of `role` (services take one), with the role's permissions.
pub fn user(role: app::auth::Role) -> app::auth::CurrentUser {
    app::auth::CurrentUser {
        id: uuid::Uuid::now_v7().to_string(),
        email: "sam@brand.test".into(),
        display_name: "Sam Supervisor".into(),
        role,
        permissions: role.permissions(),
    }
}

/// Customer `id`'s row version.
pub async fn version(db: &Db, id: &str) -> i64 {
    sqlx::query_scalar("SELECT version FROM customers WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// Puts `db` in maintenance (as a move does) or takes it out.
pub async fn set_maintenance(db: &Db, on: bool) {
    let sql = if on {
        "INSERT INTO maintenance (id, reason, since) VALUES (1, 'moving', 0)"
    } else {
        "DELETE FROM maintenance"
    };
    sqlx::query(sql).execute(db.pool()).await.unwrap();
}
