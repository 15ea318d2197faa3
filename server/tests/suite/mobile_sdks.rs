//! The Android SDK (`client/android`, Java) against a real console on both databases: its JUnit
//! suite runs on the JDK with the console's address, two publishable keys listing the app
//! (`app:com.example.shop`) and a customer; offline then online, a kill mid-batch then a restart,
//! refusal, the rate limit, a revoked key. Every event id the suite says it got through is
//! then in the database exactly once, and nothing else from the app.

#![allow(clippy::unwrap_used)]

use crate::common;
use crate::common::console::spawn;
use app::api_keys::BrowserLimits;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const APP: &str = "com.example.shop";

/// Debian's `junit4` package: JUnit and the Hamcrest it needs.
const JUNIT: [&str; 2] = [
    "/usr/share/java/junit4.jar",
    "/usr/share/java/hamcrest-core.jar",
];

async fn key_for_the_app(db: &app::store::Db, per_minute: i64) -> String {
    let limits = BrowserLimits {
        event_types: vec!["app_session".into()],
        origins: vec![format!("app:{APP}")],
        per_minute,
    };
    app::api_keys::db::create_publishable(db.pool(), "Shop app", &limits, None, 0)
        .await
        .unwrap()
        .key
}

/// Compiles the SDK and its tests (Java 8 language level) into `out`; the classpath to run them.
fn compile_android_sdk(out: &Path) -> String {
    let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("../client/android/src");
    let files: Vec<PathBuf> = ["main", "test"]
        .iter()
        .flat_map(|part| java_files(&sources.join(part)))
        .collect();
    for jar in JUNIT {
        assert!(
            Path::new(jar).exists(),
            "{jar} is missing: `apt-get install default-jdk-headless junit4` \
             (scripts/install.sh --tests does)"
        );
    }
    let classpath = format!("{}:{}", out.display(), JUNIT.join(":"));
    let (ok, printed) = common::printed(
        Command::new("javac")
            .args([
                "--release",
                "8",
                "-Xlint:all",
                "-Werror",
                "-encoding",
                "UTF-8",
            ])
            .arg("-cp")
            .arg(&classpath)
            .arg("-d")
            .arg(out)
            .args(&files)
            .output()
            .expect("javac (default-jdk-headless) runs"),
    );
    assert!(ok, "the Android SDK compiles:\n{printed}");
    classpath
}

fn java_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(java_files(&path));
        } else if path.extension().is_some_and(|e| e == "java") {
            files.push(path);
        }
    }
    files
}

#[tokio::test]
async fn the_android_sdk_keeps_its_promises_against_a_real_console() {
    let build = common::tempdir::Guard::create();
    let classpath = compile_android_sdk(Path::new(&build.path()));
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 2).await;
        let key = key_for_the_app(&db, 600).await;
        let limited = key_for_the_app(&db, 3).await;
        let external = app::customers::db::external_ids(&db, 1).await.unwrap()[0].clone();
        let base = spawn(db.clone(), Default::default()).await;
        let expected = Path::new(&build.path()).join(format!("expected-{label}.txt"));
        let mut java = Command::new("java");
        java.arg(format!("-Dcp.endpoint={base}"))
            .arg(format!("-Dcp.key={key}"))
            .arg(format!("-Dcp.limitedKey={limited}"))
            .arg(format!("-Dcp.app={APP}"))
            .arg(format!("-Dcp.externalId={external}"))
            .arg(format!("-Dcp.expected={}", expected.display()))
            .args(["-cp", &classpath, "org.junit.runner.JUnitCore"])
            .args(
                ["JsonTest", "EventQueueTest", "ServerTest"]
                    .map(|c| format!("com.customerprofiles.sdk.{c}")),
            );
        // The console serves on this runtime's thread while JUnit runs.
        let (ok, printed) =
            tokio::task::spawn_blocking(move || common::printed(java.output().unwrap()))
                .await
                .unwrap();
        assert!(
            ok,
            "{label}: the Android SDK's JUnit suite passes:\n{printed}"
        );

        let expected_ids = std::fs::read_to_string(&expected).unwrap();
        let mut expected_ids: Vec<&str> = expected_ids.lines().collect();
        expected_ids.sort_unstable();
        assert_eq!(expected_ids.len(), 3 + 40 + 1 + 3, "{label}");
        let stored: Vec<(String, i64)> = sqlx::query_as(
            "SELECT client_event_id, COUNT(*) FROM events WHERE source = 'android' \
             GROUP BY client_event_id ORDER BY client_event_id",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        let counts: BTreeMap<&str, i64> = stored.iter().map(|(id, n)| (id.as_str(), *n)).collect();
        assert!(
            counts.values().all(|n| *n == 1),
            "{label}: each once: {counts:?}"
        );
        assert_eq!(
            counts.keys().copied().collect::<Vec<_>>(),
            expected_ids,
            "{label}"
        );
    }
}

#[tokio::test]
async fn an_app_is_known_by_its_header_and_a_page_by_its_origin_whatever_else_it_sends() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 2).await;
    let key = key_for_the_app(&db, 600).await;
    let external = app::customers::db::external_ids(&db, 1).await.unwrap()[0].clone();
    let base = spawn(db.clone(), Default::default()).await;
    let send = |origin: Option<&'static str>, app: Option<&'static str>| {
        let mut request = reqwest::Client::new()
            .post(format!("{base}/api/v1/events"))
            .header("x-api-key", &key)
            .json(&serde_json::json!({"event_id": uuid::Uuid::new_v4().to_string(), "type": "app_session", "occurred_at": "2026-11-20T09:00:00Z",
                                      "customer": {"external_id": external}, "source": "android",
                                      "payload": {"platform": "android"}}));
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(app) = app {
            request = request.header("x-client-app", app);
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(
        send(None, Some("Com.Example.Shop")).await,
        200,
        "ids compare as typed in any case"
    );
    assert_eq!(send(None, Some("com.example.other")).await, 403);
    assert_eq!(send(None, None).await, 403, "neither a page nor an app");
    assert_eq!(
        send(Some("https://evil.example"), Some(APP)).await,
        403,
        "a page of another site naming the app is still a page of another site"
    );
}
