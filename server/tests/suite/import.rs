//! Imports on both databases: customers from CSV and NDJSON created or updated by any
//! identifier (never twice), each bad row refused at its column while its neighbours go in, a
//! dry run that writes nothing, a stopped import that resumes after its last batch, events
//! through the ingest checks once only with their projections, the upload and refused-rows
//! routes behind customers.import, and files that are not what they claim.

use crate::common;
use crate::common::console::Console;
use app::auth::{CurrentUser, Role};
use app::import::{ImportJob, ImportKind, ImportStatus};
use app::state::{AppState, Config};
use std::io::Write;

fn admin() -> CurrentUser {
    CurrentUser {
        id: uuid::Uuid::now_v7().to_string(),
        email: "admin@brand.test".into(),
        display_name: "Ada Admin".into(),
        role: Role::Admin,
        permissions: Role::Admin.permissions(),
    }
}

/// A file in `dir` holding `content`.
fn file(dir: &common::tempdir::Guard, name: &str, content: &[u8]) -> String {
    let path = format!("{}/{name}", dir.path());
    std::fs::File::create(&path)
        .unwrap()
        .write_all(content)
        .unwrap();
    path
}

async fn import(state: &AppState, kind: ImportKind, path: &str, dry_run: bool) -> ImportJob {
    let job = app::import::service::create(state, &admin(), kind, "file", path)
        .await
        .unwrap();
    run_to_end(state, &job.id, dry_run).await
}

/// Starts import `id` afresh (a dry run or the import) and runs it to its end.
async fn run_to_end(state: &AppState, id: &str, dry_run: bool) -> ImportJob {
    app::import::service::start(state, id, dry_run, false)
        .await
        .unwrap();
    app::import::service::run(state, &admin(), id, &mut |_| {})
        .await
        .unwrap()
}

async fn count(db: &app::store::Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

/// The refused rows' problems (row, column), values left out not counted.
async fn problems(state: &AppState, id: &str) -> Vec<(i64, String)> {
    reported(state, id, false).await
}

/// The values left out of customers who came in (row, column).
async fn left_out(state: &AppState, id: &str) -> Vec<(i64, String)> {
    reported(state, id, true).await
}

async fn reported(state: &AppState, id: &str, left_out: bool) -> Vec<(i64, String)> {
    app::import::service::all_rejections(state, id)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.left_out == left_out)
        .map(|p| (p.row, p.field))
        .collect()
}

#[tokio::test]
async fn customers_are_created_or_updated_and_bad_rows_refused_at_their_column() {
    let (dbs, dir) = common::each_database().await;
    for (name, db) in dbs {
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let user = admin();
        app::attributes::service::add(
            &state,
            &user,
            "shoe_size".into(),
            "Shoe size".into(),
            "number".into(),
        )
        .await
        .unwrap();
        common::seed(&db, 6).await;
        let before = count(&db, "SELECT COUNT(*) FROM customers").await;
        let emails: Vec<String> = sqlx::query_scalar(
            "SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 3",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        let (kept, renamed, clashing) = (&emails[0], &emails[1], &emails[2]);
        let other: String = sqlx::query_scalar(
            "SELECT phone FROM customers WHERE phone IS NOT NULL AND email <> $1 ORDER BY id LIMIT 1",
        )
        .bind(clashing)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let mut csv = format!(
            "E-mail,First name,Surname,Mobile,Date of birth,Accepts marketing,Shoe size,customer_id\n\
             new1@import.test,Nia,New,,1990-04-01,yes,42,\n\
             {kept},,,,,,,\n\
             {},Ken,Known,,,,,\n\
             not-an-email,Bad,Email,,,,,\n\
             new1@import.test,Twice,Over,,,,,\n\
             {clashing},,,{other},,,,\n\
             new2@import.test,Dee,Date,,01/02/1990,,,\n\
             new3@import.test,Yan,Maybe,,,maybe,,\n\
             new4@import.test,Sam,Shoe,,,,large,\n\
             ,Ida,Id,,,,,00000000-0000-0000-0000-000000000000\n",
            renamed.to_uppercase()
        )
        .into_bytes();
        csv.extend_from_slice(b"new5@import.test,Lat,\xE9,,,,,\n");
        let path = file(&dir, &format!("{name}-customers.csv"), &csv);

        let dry = import(&state, ImportKind::Customers, &path, true).await;
        assert_eq!(dry.status, ImportStatus::Checked, "{name}");
        // Rows 8–10 have a bad optional value (an ambiguous date, "maybe", a shoe size of
        // "large"): the value is left out, the customer comes in. The file's one non-ASCII
        // byte (row 12) makes it Windows-1252, so "Lat é" comes in too.
        assert_eq!(dry.encoding.as_deref(), Some("windows-1252"), "{name}");
        assert_eq!(
            (
                dry.created,
                dry.updated,
                dry.unchanged,
                dry.rejected,
                dry.left_out
            ),
            (5, 1, 1, 4, 3),
            "{name}"
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM customers").await,
            before,
            "{name}: a dry run writes nothing"
        );

        let done = import(&state, ImportKind::Customers, &path, false).await;
        assert_eq!(done.status, ImportStatus::Done, "{name}");
        assert_eq!(
            (
                done.created,
                done.updated,
                done.unchanged,
                done.rejected,
                done.left_out
            ),
            (5, 1, 1, 4, 3),
            "{name}"
        );
        assert_eq!(
            problems(&state, &done.id).await,
            vec![
                (5, "E-mail".to_string()),
                (6, "E-mail".into()),
                (7, "Mobile".into()),
                (11, "customer_id".into()),
            ],
            "{name}"
        );
        assert_eq!(
            left_out(&state, &done.id).await,
            vec![
                (8, "Date of birth".to_string()),
                (9, "Accepts marketing".into()),
                (10, "Shoe size".into()),
            ],
            "{name}"
        );
        let kept: (Option<String>, i64) = sqlx::query_as(
            "SELECT date_of_birth, email_opt_in FROM customers WHERE email = 'new3@import.test'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(kept, (None, 0), "{name}: the bad consent word was left out");
        assert!(
            count(&db, "SELECT COUNT(*) FROM customers WHERE email = 'new2@import.test' AND date_of_birth IS NULL").await == 1,
            "{name}: the ambiguous date was left out, the customer kept"
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM customers").await,
            before + 5,
            "{name}"
        );
        let (first, opt_in, shoe): (String, i64, String) = sqlx::query_as(
            "SELECT c.first_name, c.email_opt_in, a.value FROM customers c \
             JOIN customer_attributes a ON a.customer_id = c.id AND a.key = 'shoe_size' \
             WHERE c.email = 'new1@import.test'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            (first.as_str(), opt_in, shoe.as_str()),
            ("Nia", 1, "42"),
            "{name}"
        );
        let names: (Option<String>, Option<String>) =
            sqlx::query_as("SELECT first_name, last_name FROM customers WHERE email = $1")
                .bind(renamed)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(
            names,
            (Some("Ken".into()), Some("Known".into())),
            "{name}: empty cells leave the rest"
        );
        let audited = count(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'customers.import'",
        )
        .await;
        assert_eq!(
            audited, 1,
            "{name}: the real run is audited, the dry run not"
        );

        let again = import(&state, ImportKind::Customers, &path, false).await;
        assert_eq!(
            (again.created, again.updated),
            (0, 0),
            "{name}: nothing twice"
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM customers").await,
            before + 5,
            "{name}"
        );

        let ndjson =
            b"{\"email\": \"nd@import.test\", \"first_name\": \"Nd\", \"is_test\": true}\n\
            {\"email\": \"nd2@import.test\", \"favourite\": \"tea\"}\n\
            {\"email\": \"nd3@import.test\", \"first_name\": {\"nested\": 1}}\n";
        let path = file(&dir, &format!("{name}-customers.ndjson"), ndjson);
        let nd = import(&state, ImportKind::Customers, &path, false).await;
        assert_eq!((nd.created, nd.rejected), (1, 2), "{name}");
        assert_eq!(
            problems(&state, &nd.id).await,
            vec![(2, "favourite".to_string()), (3, "first_name".into())],
            "{name}"
        );
        let test_persona = count(
            &db,
            "SELECT is_test FROM customers WHERE email = 'nd@import.test'",
        )
        .await;
        assert_eq!(test_persona, 1, "{name}");
    }
}

#[tokio::test]
async fn a_stopped_import_resumes_after_its_last_batch() {
    let (dbs, dir) = common::each_database().await;
    for (name, db) in dbs {
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let user = admin();
        let rows = app::import::service::CUSTOMER_BATCH + 500;
        let mut csv = String::from("email,first_name\n");
        for n in 0..rows {
            csv.push_str(&format!("resume{n}@import.test,R{n}\n"));
        }
        let path = file(&dir, &format!("{name}-resume.csv"), csv.as_bytes());
        let job =
            app::import::service::create(&state, &user, ImportKind::Customers, "resume.csv", &path)
                .await
                .unwrap();
        app::import::service::start(&state, &job.id, false, false)
            .await
            .unwrap();
        let resumed_too_early = app::import::service::start(&state, &job.id, false, true).await;
        assert_eq!(
            resumed_too_early.unwrap_err().status_code(),
            409,
            "{name}: one run at a time"
        );
        app::import::service::stop(&state, &job.id).await.unwrap();
        let stopped = app::import::service::run(&state, &user, &job.id, &mut |_| {})
            .await
            .unwrap();
        assert_eq!(stopped.status, ImportStatus::Stopped, "{name}");
        assert_eq!(
            stopped.created,
            app::import::service::CUSTOMER_BATCH as i64,
            "{name}"
        );
        assert_eq!(
            stopped.rows_done,
            app::import::service::CUSTOMER_BATCH as i64,
            "{name}"
        );

        app::import::service::start(&state, &job.id, false, true)
            .await
            .unwrap();
        let mut batches = 0;
        let done = app::import::service::run(&state, &user, &job.id, &mut |_| batches += 1)
            .await
            .unwrap();
        assert_eq!((done.status, batches), (ImportStatus::Done, 1), "{name}");
        assert_eq!(
            (done.created, done.rejected, done.rows_done),
            (rows as i64, 0, rows as i64),
            "{name}"
        );
        let imported = count(
            &db,
            "SELECT COUNT(*) FROM customers WHERE email LIKE 'resume%'",
        )
        .await;
        assert_eq!(imported, rows as i64, "{name}: every row once");
    }
}

#[tokio::test]
async fn events_are_imported_once_through_the_ingest_checks() {
    let (dbs, dir) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 3).await;
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let (id, external): (String, String) = sqlx::query_as(
            "SELECT id, external_id FROM customers WHERE external_id IS NOT NULL ORDER BY id LIMIT 1",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        let read = |sql: &'static str| {
            let db = db.clone();
            let id = id.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sql)
                    .bind(id)
                    .fetch_one(db.pool())
                    .await
                    .unwrap()
            }
        };
        let purchases = read("SELECT purchase_count FROM customers WHERE id = $1").await;
        let spend = read("SELECT CAST(COALESCE(SUM(CASE WHEN event_type = 'refund' THEN -amount_cents ELSE amount_cents END), 0) AS BIGINT) FROM events WHERE customer_id = $1 AND amount_cents IS NOT NULL").await;
        let mut lines = String::new();
        for n in 0..3 {
            lines.push_str(&format!(
                "{{\"event_id\": \"hist-{n}\", \"type\": \"purchase\", \"occurred_at\": \"2021-03-0{}T10:00:00Z\", \
                 \"customer\": {{\"external_id\": \"{external}\"}}, \"payload\": {{\"amount_cents\": 1000, \"currency\": \"GBP\"}}}}\n",
                n + 1
            ));
        }
        lines.push_str("{\"event_id\": \"hist-x\", \"type\": \"purchase\", \"customer\": {\"email\": \"nobody@import.test\"}, \"occurred_at\": \"2021-03-01T10:00:00Z\", \"payload\": {\"amount_cents\": 5, \"currency\": \"GBP\"}}\n");
        lines.push_str("{not json\n");
        let path = file(&dir, &format!("{name}-events.ndjson"), lines.as_bytes());

        let dry = import(&state, ImportKind::Events, &path, true).await;
        assert_eq!((dry.created, dry.rejected), (3, 2), "{name}");
        assert_eq!(
            read("SELECT purchase_count FROM customers WHERE id = $1").await,
            purchases,
            "{name}: dry run"
        );

        let done = import(&state, ImportKind::Events, &path, false).await;
        assert_eq!(
            (done.created, done.unchanged, done.rejected),
            (3, 0, 2),
            "{name}"
        );
        assert_eq!(
            problems(&state, &done.id).await,
            vec![(4, "customer.email".to_string()), (5, String::new())],
            "{name}"
        );
        assert_eq!(
            read("SELECT purchase_count FROM customers WHERE id = $1").await,
            purchases + 3,
            "{name}"
        );
        assert_eq!(
            read("SELECT CAST(COALESCE(SUM(CASE WHEN event_type = 'refund' THEN -amount_cents ELSE amount_cents END), 0) AS BIGINT) FROM events WHERE customer_id = $1 AND amount_cents IS NOT NULL").await,
            spend + 3000,
            "{name}"
        );

        let again = import(&state, ImportKind::Events, &path, false).await;
        assert_eq!(
            (again.created, again.unchanged),
            (0, 3),
            "{name}: idempotent by event id"
        );
        assert_eq!(
            read("SELECT purchase_count FROM customers WHERE id = $1").await,
            purchases + 3,
            "{name}"
        );
    }
}

#[tokio::test]
async fn events_are_kept_then_stored_by_customer_as_they_stand_after_a_pause() {
    let (dbs, dir) = common::each_database().await;
    for (name, db) in dbs {
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let user = admin();
        let people = "external_id,first_name,last_name\nkeep-a,Ann,Able\nkeep-b,Bo,Baker\nkeep-c,Cy,Cole\nkeep-d,Di,Dunn\n";
        let path = file(&dir, &format!("{name}-keep.csv"), people.as_bytes());
        assert_eq!(
            import(&state, ImportKind::Customers, &path, false)
                .await
                .created,
            4
        );
        let id_of = |external: &'static str| {
            let db = db.clone();
            async move {
                sqlx::query_scalar::<_, String>("SELECT id FROM customers WHERE external_id = $1")
                    .bind(external)
                    .fetch_one(db.pool())
                    .await
                    .unwrap()
            }
        };
        let (a, b, c, d) = (
            id_of("keep-a").await,
            id_of("keep-b").await,
            id_of("keep-c").await,
            id_of("keep-d").await,
        );
        // In file order the points are used before they are earned; by time they are not.
        let line = |n: u32, who: &str, kind: &str, day: u32, payload: &str| {
            format!(
                "{{\"event_id\": \"keep-{n}\", \"type\": \"{kind}\", \"occurred_at\": \"2021-03-0{day}T10:00:00Z\", \
                 \"customer\": {{\"external_id\": \"{who}\"}}, \"payload\": {payload}}}\n"
            )
        };
        let lines = [
            line(1, "keep-a", "points_used", 2, r#"{"points": 50}"#),
            line(2, "keep-a", "points_earned", 1, r#"{"points": 80}"#),
            line(
                3,
                "keep-b",
                "purchase",
                1,
                r#"{"amount_cents": 1000, "currency": "GBP"}"#,
            ),
            line(
                4,
                "keep-c",
                "purchase",
                1,
                r#"{"amount_cents": 700, "currency": "GBP"}"#,
            ),
            line(5, "keep-a", "points_used", 3, r#"{"points": 100}"#),
        ]
        .concat();
        let path = file(&dir, &format!("{name}-keep.ndjson"), lines.as_bytes());
        let job =
            app::import::service::create(&state, &user, ImportKind::Events, "keep.ndjson", &path)
                .await
                .unwrap();
        app::import::service::start(&state, &job.id, false, false)
            .await
            .unwrap();
        app::import::service::stop(&state, &job.id).await.unwrap();
        let paused = app::import::service::run(&state, &user, &job.id, &mut |_| {})
            .await
            .unwrap();
        assert_eq!(
            (paused.status, paused.staged, paused.created, paused.storing),
            (ImportStatus::Stopped, 5, 0, false),
            "{name}: read and kept, nothing stored yet"
        );
        let points = |id: String| {
            let db = db.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT points_balance FROM customers WHERE id = $1")
                    .bind(id)
                    .fetch_one(db.pool())
                    .await
                    .unwrap()
            }
        };
        assert_eq!(points(a.clone()).await, 0, "{name}");

        // Meanwhile C is forgotten (their kept event goes with them) and B merged into D.
        app::privacy::service::forget(&state, &user, c.clone(), "FORGET".into())
            .await
            .unwrap();
        let kept_for_c = count(
            &db,
            &format!("SELECT COUNT(*) FROM import_staged_events WHERE customer_id = '{c}'"),
        )
        .await;
        assert_eq!(kept_for_c, 0, "{name}: a forget reaches kept events");
        let versions: (i64, i64) = sqlx::query_as(
            "SELECT (SELECT version FROM customers WHERE id = $1), \
             (SELECT version FROM customers WHERE id = $2)",
        )
        .bind(&d)
        .bind(&b)
        .fetch_one(db.pool())
        .await
        .unwrap();
        app::merge::service::merge(
            &state,
            &user,
            app::merge::service::MergeRequest {
                survivor_id: d.clone(),
                absorbed_id: b.clone(),
                survivor_version: versions.0,
                absorbed_version: versions.1,
                keep_absorbed: Vec::new(),
                confirm_restricted: false,
            },
        )
        .await
        .unwrap();

        app::import::service::start(&state, &job.id, false, true)
            .await
            .unwrap();
        let done = app::import::service::run(&state, &user, &job.id, &mut |_| {})
            .await
            .unwrap();
        assert_eq!(
            (
                done.status,
                done.created,
                done.unchanged,
                done.rejected,
                done.staged_done
            ),
            (ImportStatus::Done, 3, 0, 1, 4),
            "{name}"
        );
        assert_eq!(done.percent(), 100, "{name}");
        assert_eq!(
            problems(&state, &done.id).await,
            vec![(5, "payload.points".to_string())],
            "{name}: only what the balance cannot pay, by time"
        );
        assert_eq!(
            points(a.clone()).await,
            30,
            "{name}: 80 earned, then 50 used"
        );
        let spend: i64 =
            sqlx::query_scalar("SELECT CAST(COALESCE(SUM(CASE WHEN event_type = 'refund' THEN -amount_cents ELSE amount_cents END), 0) AS BIGINT) FROM events WHERE customer_id = $1 AND amount_cents IS NOT NULL")
                .bind(&d)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(spend, 1000, "{name}: B's purchase went to D, whom B became");
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM import_staged_events").await,
            0,
            "{name}: kept events go once stored"
        );
    }
}

#[tokio::test]
async fn indexes_a_large_import_sets_aside_come_back_whatever_ends_it() {
    use app::import::service::{sets_indexes_aside, SET_ASIDE_ROWS};
    assert!(sets_indexes_aside(SET_ASIDE_ROWS, 0), "a first load");
    assert!(!sets_indexes_aside(SET_ASIDE_ROWS - 1, 0), "a small file");
    assert!(
        !sets_indexes_aside(SET_ASIDE_ROWS, SET_ASIDE_ROWS + 1),
        "a file smaller than the table"
    );
    let (dbs, _dir) = common::each_database().await;
    for (name, db) in dbs {
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let catalogue = match db.backend() {
            app::store::Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'index' \
                 AND tbl_name IN ('customers', 'customer_identifiers') ORDER BY name"
            }
            app::store::Backend::Postgres => {
                "SELECT CAST(indexname AS TEXT) FROM pg_indexes \
                 WHERE tablename IN ('customers', 'customer_identifiers') ORDER BY 1"
            }
        };
        let indexes = || {
            let db = db.clone();
            async move {
                sqlx::query_scalar::<_, String>(catalogue)
                    .fetch_all(db.pool())
                    .await
                    .unwrap()
            }
        };
        let before = indexes().await;
        let aside = app::import::db::indexes::set_aside(&db).await.unwrap();
        assert!(aside >= 14, "{name}: {aside} of {before:?}");
        assert_eq!(
            indexes().await.len(),
            before.len() - aside,
            "{name}: the unique keys stay"
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM import_dropped_indexes").await,
            aside as i64,
            "{name}: each recorded with its drop"
        );
        assert_eq!(
            app::import::db::indexes::set_aside(&db).await.unwrap(),
            0,
            "{name}"
        );
        // As after a crash: the next start-up builds them.
        let rebuilt = app::import::service::restore_indexes(&state).await.unwrap();
        assert_eq!(
            (rebuilt, indexes().await),
            (aside, before.clone()),
            "{name}"
        );
        assert_eq!(
            app::import::service::restore_indexes(&state).await.unwrap(),
            0,
            "{name}"
        );
    }
}

#[tokio::test]
async fn files_that_are_not_what_they_claim_are_refused_with_a_reason() {
    let (db, dir) = common::sqlite().await;
    common::seed(&db, 1).await;
    let state = AppState::new(db.clone(), Config::default()).await.unwrap();
    let user = admin();
    let create = |kind, name: &str, content: &[u8]| {
        let path = file(&dir, name, content);
        let state = state.clone();
        let user = user.clone();
        async move { app::import::service::create(&state, &user, kind, "f", &path).await }
    };
    let empty = create(ImportKind::Customers, "empty.csv", b"")
        .await
        .unwrap_err();
    assert_eq!(empty.field(), Some("file"));
    let events_as_csv = create(ImportKind::Events, "events.csv", b"type,customer\n")
        .await
        .unwrap_err();
    assert!(
        events_as_csv.to_string().contains("NDJSON"),
        "{events_as_csv}"
    );

    let binary = create(
        ImportKind::Customers,
        "photo.csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",
    )
    .await
    .unwrap();
    let detail = app::import::service::detail(&state, &binary.id)
        .await
        .unwrap();
    assert!(detail.file_problems[0]
        .message
        .starts_with("This is not a CSV"));
    let refused = app::import::service::start(&state, &binary.id, true, false)
        .await
        .unwrap_err();
    assert_eq!(refused.status_code(), 422);

    let unknown = create(
        ImportKind::Customers,
        "unknown.csv",
        b"email,Shoe size\na@b.io,9\n",
    )
    .await
    .unwrap();
    let refused = app::import::service::start(&state, &unknown.id, true, false)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("Shoe size"), "{refused}");
    let mut mapping = app::import::Mapping::new();
    mapping.insert(
        "Shoe size".into(),
        app::import::ColumnMapping {
            target: "ignore".into(),
            clear_when_empty: false,
        },
    );
    app::import::service::set_mapping(&state, &user, &unknown.id, mapping, true)
        .await
        .unwrap();
    let done = run_to_end(&state, &unknown.id, false).await;
    assert_eq!((done.status, done.created), (ImportStatus::Done, 1));
    let next = create(
        ImportKind::Customers,
        "next.csv",
        b"email,Shoe size\nc@d.io,9\n",
    )
    .await
    .unwrap();
    let detail = app::import::service::detail(&state, &next.id)
        .await
        .unwrap();
    assert!(
        detail.file_problems.is_empty(),
        "the saved mapping applies to the next file"
    );

    let headerless = create(ImportKind::Customers, "headerless.csv", b"a@b.io,Ada\n")
        .await
        .unwrap();
    let detail = app::import::service::detail(&state, &headerless.id)
        .await
        .unwrap();
    assert!(detail
        .file_problems
        .iter()
        .any(|p| p.message.starts_with("The first row must name the columns")));
}

#[tokio::test]
async fn the_upload_and_the_refused_rows_need_the_import_permission() {
    let (db, _dir) = common::sqlite().await;
    common::seed(&db, 2).await;
    let import_dir = common::tempdir::Guard::create();
    let base = common::console::spawn_with(
        db.clone(),
        Config {
            import_dir: Some(import_dir.path().into()),
            ..Config::default()
        },
    )
    .await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    let csv = b"email,=HYPERLINK(\"http://x\")\nup@import.test,1\n".to_vec();
    let refused = agent
        .upload(
            "/admin/import/upload",
            &[("kind", "customers")],
            "c.csv",
            csv.clone(),
        )
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(agent.get("/admin/import").await.status(), 403);

    let browser = Console::signed_in(&base, "admin@demo.test").await;
    let uploaded = browser
        .upload(
            "/admin/import/upload",
            &[("kind", "customers")],
            "c.csv",
            csv,
        )
        .await;
    assert_eq!(uploaded.status(), 303);
    let location = uploaded.headers()["location"].to_str().unwrap().to_string();
    let id = location.strip_prefix("/admin/import/").unwrap().to_string();
    assert_eq!(browser.get(&location).await.status(), 200);
    assert_eq!(
        std::fs::read_dir(import_dir.path()).unwrap().count(),
        1,
        "kept until imported"
    );

    let state = AppState::new(db.clone(), Config::default()).await.unwrap();
    let detail = app::import::service::detail(&state, &id).await.unwrap();
    assert_eq!(
        detail.file_problems.len(),
        1,
        "the formula column is unknown"
    );
    let mut mapping = app::import::Mapping::new();
    mapping.insert(
        "=HYPERLINK(\"http://x\")".into(),
        app::import::ColumnMapping {
            target: "date_of_birth".into(),
            clear_when_empty: false,
        },
    );
    app::import::service::set_mapping(&state, &admin(), &id, mapping, false)
        .await
        .unwrap();
    let done = run_to_end(&state, &id, false).await;
    assert_eq!(
        (done.rejected, done.left_out),
        (0, 1),
        "the bad date is left out"
    );

    let csv = browser
        .get(&format!("/admin/import/{id}/rejections.csv"))
        .await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert!(
        text.contains("2,\"'=HYPERLINK(\"\"http://x\"\")\""),
        "{text}"
    );
    assert_eq!(
        agent
            .get(&format!("/admin/import/{id}/rejections.csv"))
            .await
            .status(),
        403
    );

    let empty = browser
        .upload(
            "/admin/import/upload",
            &[("kind", "events")],
            "e.csv",
            b"a,b\n".to_vec(),
        )
        .await;
    assert_eq!(empty.status(), 303);
    assert!(empty.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/admin/import?error="));
}

#[tokio::test]
async fn uploads_are_private_and_kept_only_while_an_import_may_need_them() {
    use std::os::unix::fs::PermissionsExt;
    let (db, _dir) = common::sqlite().await;
    common::seed(&db, 2).await;
    let parent = common::tempdir::Guard::create();
    let folder = std::path::PathBuf::from(parent.path()).join("uploads");
    let config = Config {
        import_dir: Some(folder.clone()),
        ..Config::default()
    };
    let base = common::console::spawn_with(db.clone(), config.clone()).await;
    let state = AppState::new(db.clone(), config).await.unwrap();
    let browser = Console::signed_in(&base, "admin@demo.test").await;
    let upload = |name: &'static str| {
        let csv = format!("email,first_name\n{name}@upload.test,Ann\n").into_bytes();
        let browser = &browser;
        async move {
            let uploaded = browser
                .upload("/admin/import/upload", &[("kind", "customers")], name, csv)
                .await;
            assert_eq!(uploaded.status(), 303);
            let location = uploaded.headers()["location"].to_str().unwrap().to_string();
            location.strip_prefix("/admin/import/").unwrap().to_string()
        }
    };
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let files = || std::fs::read_dir(&folder).unwrap().count();

    let checked = upload("checked").await;
    assert_eq!(mode(&folder), 0o700, "the folder is the console's own");
    let path = app::import::db::file_path(&db, &checked)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mode(std::path::Path::new(&path)), 0o600, "each file too");

    // A dry run keeps the file for the import; past the retention it goes, and the import says so.
    let dry = run_to_end(&state, &checked, true).await;
    assert_eq!(dry.status, ImportStatus::Checked);
    assert_eq!(files(), 1, "kept after a dry run");
    let later = app::time::now_millis() + app::import::uploads::RETENTION_MS + 1;
    assert_eq!(
        app::import::uploads::sweep(&state, later, false)
            .await
            .unwrap(),
        1
    );
    assert_eq!(files(), 0);
    let job = app::import::db::job(&db, &checked).await.unwrap().unwrap();
    assert_eq!(job.status, ImportStatus::Failed);
    assert!(job.message.unwrap().contains("upload it again"));

    // A finished import's file goes at once.
    let done = upload("done").await;
    let finished = run_to_end(&state, &done, false).await;
    assert_eq!((finished.status, files()), (ImportStatus::Done, 0));

    // A forget deletes every upload waiting for an import: any may name the customer.
    let waiting = upload("waiting").await;
    assert_eq!(files(), 1);
    let forgotten = app::identity::db::owner(&db, "email", "done@upload.test")
        .await
        .unwrap()
        .unwrap();
    let privacy = Console::signed_in(&base, "privacy@demo.test").await;
    let answer = privacy
        .call(
            app::privacy::forget_customer,
            &[
                ("customer_id", forgotten.as_str()),
                ("confirmation", "FORGET"),
            ],
        )
        .await;
    assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
    assert_eq!(files(), 0, "the waiting upload is gone");
    let job = app::import::db::job(&db, &waiting).await.unwrap().unwrap();
    assert_eq!(job.status, ImportStatus::Failed);
    assert!(job.message.unwrap().contains("GDPR"));
}

/// A Salesforce contact report as it is downloaded: Windows-1252, US dates, countries by
/// name, `Phone` written with the apostrophe a spreadsheet round trip leaves; and the same
/// people from European Excel (semicolons, UTF-8 with BOM) and as Excel's "Unicode text"
/// (UTF-16, tabs). Everyone comes in right; a value nothing can read is left out.
#[tokio::test]
async fn exports_as_they_come_are_read_in_their_encoding_delimiter_and_formats() {
    let (dbs, dir) = common::each_database().await;
    for (name, db) in dbs {
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let latin1: &[u8] = b"First Name,Last Name,Email,Phone,Mailing Country,Birthdate\r\n\
            Jos\xe9,Garc\xeda,jose@sf.test,'+44 7700 900654,United Kingdom,5/15/1970\r\n\
            Zo\xeb,M\xfcller,zoe@sf.test,,Ireland,03/14/1985\r\n\
            Ana,Nobody,ana@sf.test,,Atlantis,12/31/1999\r\n";
        let path = file(&dir, &format!("{name}-salesforce.csv"), latin1);
        let done = import(&state, ImportKind::Customers, &path, false).await;
        assert_eq!(done.encoding.as_deref(), Some("windows-1252"), "{name}");
        assert_eq!(
            (done.created, done.rejected, done.left_out),
            (3, 0, 1),
            "{name}"
        );
        assert_eq!(
            left_out(&state, &done.id).await,
            vec![(4, "Mailing Country".to_string())]
        );
        let jose: (String, String, String, String, String) = sqlx::query_as(
            "SELECT first_name, last_name, phone, country, date_of_birth FROM customers \
             WHERE email = 'jose@sf.test'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            jose,
            (
                "José".into(),
                "García".into(),
                "+447700900654".into(),
                "GB".into(),
                "1970-05-15".into()
            ),
            "{name}"
        );

        let mut semicolons = b"\xEF\xBB\xBF".to_vec();
        semicolons.extend_from_slice(
            "Email;First name;Country;Date of birth\nmia@eu.test;Mia;Germany;31.12.1990\n"
                .as_bytes(),
        );
        let path = file(&dir, &format!("{name}-excel-eu.csv"), &semicolons);
        let done = import(&state, ImportKind::Customers, &path, false).await;
        assert_eq!(
            (done.encoding.clone(), done.created, done.rejected),
            (None, 1, 0),
            "{name}: {:?}",
            problems(&state, &done.id).await
        );

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "Email\tFirst name\r\nzoe16@xl.test\tZoë\r\n".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let path = file(&dir, &format!("{name}-unicode.txt"), &utf16);
        let done = import(&state, ImportKind::Customers, &path, false).await;
        assert_eq!(
            (done.encoding.as_deref(), done.created),
            (Some("UTF-16LE"), 1),
            "{name}"
        );
        let zoe: String =
            sqlx::query_scalar("SELECT first_name FROM customers WHERE email = 'zoe16@xl.test'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(zoe, "Zoë", "{name}");
    }
}

/// One person an export brings: (email, first name, last name, phone, country, date of birth,
/// external id, email opt-in).
type Person = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    i64,
);

/// One fixture of `fixtures/crm-exports`: its file, the source it is recognised as, the
/// customers it creates, the values it leaves out (row, column), and who comes in.
struct Export {
    file: &'static str,
    source: &'static str,
    created: i64,
    left_out: &'static [(i64, &'static str)],
    people: &'static [Person],
}

const EXPORTS: [Export; 9] = [
    Export {
        file: "hubspot-contacts.csv",
        source: "HubSpot",
        created: 3,
        left_out: &[(4, "Country/Region")],
        people: &[
            (
                "aoife.byrne@example.com",
                "Aoife",
                "Byrne",
                Some("+35312345678"),
                Some("IE"),
                None,
                Some("hubspot:51"),
                1,
            ),
            (
                "kwame.mensah@example.com",
                "Kwame",
                "Mensah",
                Some("+447700900123"),
                Some("GB"),
                None,
                Some("hubspot:52"),
                0,
            ),
            (
                "lea.dubois@example.com",
                "Léa",
                "Dubois",
                Some("+33142685300"),
                None,
                None,
                Some("hubspot:53"),
                0,
            ),
        ],
    },
    Export {
        file: "salesforce-contacts-report.csv",
        source: "Salesforce (report)",
        created: 3,
        left_out: &[(4, "Birthdate")],
        people: &[
            (
                "jose.garcia@example.com",
                "José",
                "García",
                Some("+34912345678"),
                Some("ES"),
                Some("1970-05-15"),
                Some("salesforce:0035g00000AbCdE"),
                1,
            ),
            (
                "zoe.mueller@example.com",
                "Zoë",
                "Müller",
                Some("+4915123456789"),
                Some("DE"),
                Some("1985-12-24"),
                Some("salesforce:0035g00000AbCdF"),
                0,
            ),
            (
                "siobhan.oneill@example.com",
                "Siobhán",
                "O'Neill",
                Some("+353211234567"),
                Some("IE"),
                None,
                Some("salesforce:0035g00000AbCdG"),
                1,
            ),
        ],
    },
    Export {
        file: "salesforce-contact-data-export.csv",
        source: "Salesforce (data export)",
        created: 3,
        left_out: &[(4, "Email")],
        people: &[
            (
                "chidi.okafor@example.com",
                "Chidi",
                "Okafor",
                Some("+2348031234567"),
                Some("NG"),
                Some("1988-02-29"),
                Some("salesforce:0035g00000XyZaAAQ"),
                1,
            ),
            (
                "yuki.tanaka@example.com",
                "Yuki",
                "Tanaka",
                Some("+81312345678"),
                Some("JP"),
                Some("1992-07-07"),
                Some("salesforce:0035g00000XyZbAAQ"),
                0,
            ),
        ],
    },
    Export {
        file: "mailchimp-subscribed-members.csv",
        source: "Mailchimp",
        created: 3,
        left_out: &[(2, "Birthday"), (4, "Birthday")],
        people: &[
            (
                "ingrid.larsen@example.com",
                "Ingrid",
                "Larsen",
                Some("+4741234567"),
                Some("NO"),
                None,
                Some("mailchimp:123456789"),
                0,
            ),
            (
                "pieter.devries@example.com",
                "Pieter",
                "de Vries",
                None,
                Some("NL"),
                None,
                Some("mailchimp:123456790"),
                0,
            ),
        ],
    },
    Export {
        file: "shopify-customers-export.csv",
        source: "Shopify",
        created: 3,
        left_out: &[(4, "Default Address Country Code")],
        people: &[
            (
                "hannah.schmidt@example.com",
                "Hannah",
                "Schmidt",
                Some("+493012345678"),
                Some("DE"),
                None,
                Some("shopify:7208121925914"),
                1,
            ),
            (
                "oliver.smith@example.com",
                "Oliver",
                "Smith",
                Some("+447700900456"),
                Some("GB"),
                None,
                Some("shopify:7208121925915"),
                0,
            ),
            (
                "amelie.roux@example.com",
                "Amélie",
                "Roux",
                None,
                None,
                None,
                Some("shopify:7208121925916"),
                1,
            ),
        ],
    },
    Export {
        file: "shopify-customers-template.csv",
        source: "Shopify",
        created: 3,
        left_out: &[(4, "Phone"), (4, "Accepts Marketing")],
        people: &[
            (
                "ravi.patel@example.com",
                "Ravi",
                "Patel",
                Some("+64211234567"),
                Some("NZ"),
                None,
                None,
                1,
            ),
            (
                "lars.berg@example.com",
                "Lars",
                "Berg",
                None,
                Some("SE"),
                None,
                None,
                0,
            ),
        ],
    },
    Export {
        file: "zoho-contacts.csv",
        source: "Zoho CRM",
        created: 3,
        left_out: &[(4, "Mailing Country")],
        people: &[
            (
                "arjun.mehta@example.com",
                "Arjun",
                "Mehta",
                Some("+912223456789"),
                Some("IN"),
                Some("1985-03-14"),
                Some("zoho:zcrm_5725767000000469001"),
                1,
            ),
            (
                "emma.wilson@example.com",
                "Emma",
                "Wilson",
                Some("+61412345678"),
                Some("AU"),
                Some("1979-07-04"),
                Some("zoho:zcrm_5725767000000469002"),
                0,
            ),
            (
                "lukas.novak@example.com",
                "Lukas",
                "Novák",
                None,
                None,
                Some("1990-11-30"),
                Some("zoho:zcrm_5725767000000469003"),
                1,
            ),
        ],
    },
    Export {
        file: "klaviyo-profiles.csv",
        source: "Klaviyo",
        created: 3,
        left_out: &[(4, "Country")],
        people: &[
            (
                "nora.hansen@example.com",
                "Nora",
                "Hansen",
                Some("+4520123456"),
                Some("DK"),
                None,
                None,
                1,
            ),
            (
                "diego.lopez@example.com",
                "Diego",
                "López",
                None,
                Some("MX"),
                None,
                None,
                0,
            ),
        ],
    },
    Export {
        file: "woocommerce-customers.csv",
        source: "WooCommerce",
        created: 3,
        left_out: &[(4, "Country / Region")],
        people: &[
            (
                "marta.nowak@example.com",
                "Marta",
                "Nowak",
                None,
                Some("PL"),
                None,
                None,
                0,
            ),
            (
                "jc@example.com",
                "Jean",
                "Claude Van Damme",
                None,
                Some("BE"),
                None,
                None,
                0,
            ),
            ("cher@example.com", "Cher", "", None, None, None, None, 0),
        ],
    },
];

/// The exports of seven CRMs as they are downloaded (`fixtures/crm-exports`, sources in its
/// README): each recognised from its header and imported as exported, with nothing mapped by
/// hand; every person comes in with the expected values, a source's id as `<source>:<id>`, a
/// second phone or email held as one more identifier, a bad optional value left out.
#[tokio::test]
async fn crm_exports_import_as_exported() {
    let fixtures = format!("{}/tests/fixtures/crm-exports", env!("CARGO_MANIFEST_DIR"));
    let (dbs, dir) = common::each_database().await;
    for (name, db) in dbs {
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        for export in &EXPORTS {
            let bytes = std::fs::read(format!("{fixtures}/{}", export.file)).unwrap();
            let path = file(&dir, &format!("{name}-{}", export.file), &bytes);
            let user = admin();
            let job = app::import::service::create(
                &state,
                &user,
                ImportKind::Customers,
                export.file,
                &path,
            )
            .await
            .unwrap();
            let detail = app::import::service::detail(&state, &job.id).await.unwrap();
            assert_eq!(
                detail.source.as_deref(),
                Some(export.source),
                "{name} {}",
                export.file
            );
            assert!(
                detail.file_problems.is_empty(),
                "{} {:?}",
                export.file,
                detail.file_problems
            );
            let done = run_to_end(&state, &job.id, false).await;
            let what = format!(
                "{name} {}: {:?}",
                export.file,
                problems(&state, &done.id).await
            );
            assert_eq!((done.created, done.rejected), (export.created, 0), "{what}");
            let expected: Vec<(i64, String)> = export
                .left_out
                .iter()
                .map(|(row, column)| (*row, column.to_string()))
                .collect();
            assert_eq!(left_out(&state, &done.id).await, expected, "{what}");
            for person in export.people {
                assert_eq!(stored_person(&db, person.0).await, *person, "{what}");
            }
        }
        // More phones and emails are more identifiers of the customer.
        for (email, kind, value) in [
            ("jose.garcia@example.com", "phone", "+34612345678"),
            ("yuki.tanaka@example.com", "phone", "+819012345678"),
            ("hannah.schmidt@example.com", "phone", "+4915198765432"),
            ("arjun.mehta@example.com", "email", "arjun@example.net"),
            ("arjun.mehta@example.com", "phone", "+919876543210"),
        ] {
            let owner = app::identity::db::owner(&db, kind, value).await.unwrap();
            let customer = app::identity::db::owner(&db, "email", email).await.unwrap();
            assert_eq!(owner, customer, "{name}: {email} holds {value}");
        }
    }
}

async fn stored_person(db: &app::store::Db, email: &'static str) -> Person {
    type Row = (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
    );
    let row: Row = sqlx::query_as(
        "SELECT COALESCE(first_name, ''), COALESCE(last_name, ''), phone, country, date_of_birth, \
         external_id, email_opt_in \
         FROM customers WHERE email = $1",
    )
    .bind(email)
    .fetch_one(db.pool())
    .await
    .unwrap_or_else(|e| panic!("{email}: {e}"));
    let leak = |s: Option<String>| s.map(|s| &*Box::leak(s.into_boxed_str()));
    (
        email,
        Box::leak(row.0.into_boxed_str()),
        Box::leak(row.1.into_boxed_str()),
        leak(row.2),
        leak(row.3),
        leak(row.4),
        leak(row.5),
        row.6,
    )
}

/// Dates every one of which could be day or month first are never guessed: the dry run leaves
/// them out and says so; the admin confirms the order in the mapping, and they come in.
#[tokio::test]
async fn an_ambiguous_date_order_is_confirmed_in_the_mapping() {
    let (dbs, dir) = common::each_database().await;
    for (name, db) in dbs {
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let csv = b"Email,Birthdate\nday1@order.test,03/04/1985\nday2@order.test,01/02/1990\n";
        let path = file(&dir, &format!("{name}-order.csv"), csv);
        let checked = import(&state, ImportKind::Customers, &path, true).await;
        assert_eq!((checked.created, checked.left_out), (2, 2), "{name}");
        let reasons = app::import::service::all_rejections(&state, &checked.id)
            .await
            .unwrap();
        assert!(
            reasons[0].message.contains("day/month order"),
            "{reasons:?}"
        );

        let user = admin();
        let path = file(&dir, &format!("{name}-order-again.csv"), csv);
        let job = app::import::service::create(&state, &user, ImportKind::Customers, "o", &path)
            .await
            .unwrap();
        let day_first = app::import::ColumnMapping {
            target: "date_of_birth:day_first".into(),
            clear_when_empty: false,
        };
        let mapping = [("Birthdate".to_string(), day_first)].into_iter().collect();
        app::import::service::set_mapping(&state, &user, &job.id, mapping, false)
            .await
            .unwrap();
        let done = run_to_end(&state, &job.id, false).await;
        assert_eq!((done.created, done.left_out), (2, 0), "{name}");
        let born: String = sqlx::query_scalar(
            "SELECT date_of_birth FROM customers WHERE email = 'day1@order.test'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(born, "1985-04-03", "{name}");
    }
}
