//! The mobile SDKs against a real console on both databases: the Android SDK's JUnit suite
//! (`client/android`, Java, on the JDK) and the .NET SDK's NUnit suite (`client/dotnet`, C#, on
//! Mono), each given the console's address, two publishable keys listing the app
//! (`app:com.example.shop`) and a customer: offline then online, a kill mid-batch then a
//! restart, refusal, the rate limit, a revoked key and an unlisted app. Every event id a suite
//! says it got through is then in the database exactly once, and nothing else from the app.

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
        event_types: ["app_session", "geofence_entered", "geofence_exited"]
            .map(String::from)
            .to_vec(),
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
                // Every warning an error, but newer JDKs' note that release 8 is old.
                "-Xlint:all,-options",
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

/// A console serving `db` for the app's SDK suite: its address, the keys, a customer, and the
/// file the suite lists the event ids it got through in.
struct ConsoleForTheApp {
    env: Vec<(&'static str, String)>,
    expected: PathBuf,
}

async fn console_for_the_app(db: &app::store::Db, label: &str, dir: &Path) -> ConsoleForTheApp {
    common::seed(db, 2).await;
    let key = key_for_the_app(db, 600).await;
    let limited = key_for_the_app(db, 3).await;
    let external = app::customers::db::external_ids(db, 1).await.unwrap()[0].clone();
    let base = spawn(db.clone(), Default::default()).await;
    let expected = dir.join(format!("expected-{label}.txt"));
    let env = vec![
        ("endpoint", base),
        ("key", key),
        ("limitedKey", limited),
        ("app", APP.to_string()),
        ("externalId", external),
        ("expected", expected.display().to_string()),
    ];
    ConsoleForTheApp { env, expected }
}

/// Runs `command` (an SDK's test suite) while the console serves on this runtime's thread.
async fn suite_passes(label: &str, sdk: &str, mut command: Command) {
    let (ok, printed) =
        tokio::task::spawn_blocking(move || common::printed(command.output().unwrap()))
            .await
            .unwrap();
    assert!(ok, "{label}: the {sdk} SDK's suite passes:\n{printed}");
}

/// Every event id the suite listed is stored exactly once, and nothing else from `source`.
async fn each_listed_event_stored_once(
    db: &app::store::Db,
    label: &str,
    source: &str,
    expected: &Path,
) {
    let listed = std::fs::read_to_string(expected).unwrap();
    let mut listed: Vec<&str> = listed.lines().collect();
    listed.sort_unstable();
    assert_eq!(
        listed.len(),
        3 + 40 + 1 + 3 + 2,
        "{label}: every scenario listed its events"
    );
    let stored: Vec<(String, i64)> = sqlx::query_as(
        "SELECT client_event_id, COUNT(*) FROM events WHERE source = $1 \
         GROUP BY client_event_id ORDER BY client_event_id",
    )
    .bind(source)
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
        listed,
        "{label}"
    );
}

#[tokio::test]
async fn the_android_sdk_keeps_its_promises_against_a_real_console() {
    let build = common::tempdir::Guard::create();
    let classpath = compile_android_sdk(Path::new(&build.path()));
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let console = console_for_the_app(&db, label, Path::new(&build.path())).await;
        let mut java = Command::new("java");
        java.args(
            console
                .env
                .iter()
                .map(|(name, value)| format!("-Dcp.{name}={value}")),
        )
        .args(["-cp", &classpath, "org.junit.runner.JUnitCore"])
        .args(
            ["JsonTest", "EventQueueTest", "ServerTest"]
                .map(|c| format!("com.customerprofiles.sdk.{c}")),
        );
        suite_passes(label, "Android", java).await;
        each_listed_event_stored_once(&db, label, "android", &console.expected).await;
    }
}

#[tokio::test]
async fn the_dotnet_sdk_keeps_its_promises_against_a_real_console() {
    let build = common::tempdir::Guard::create();
    let tests = compile_dotnet_sdk(Path::new(&build.path()));
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let console = console_for_the_app(&db, label, Path::new(&build.path())).await;
        let mut nunit = Command::new("nunit-console");
        nunit
            .envs(
                console
                    .env
                    .iter()
                    .map(|(name, value)| (env_name(name), value)),
            )
            .args(["-nologo", "-noresult"])
            .arg(&tests)
            .current_dir(build.path());
        suite_passes(label, ".NET", nunit).await;
        each_listed_event_stored_once(&db, label, "xamarin", &console.expected).await;
    }
}

/// `limitedKey` as `CP_LIMITED_KEY`.
fn env_name(name: &str) -> String {
    let mut env = String::from("CP_");
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            env.push('_');
        }
        env.push(c.to_ascii_uppercase());
    }
    env
}

/// Compiles the .NET SDK, its NUnit tests and the app the tests kill, with Mono's C# compiler,
/// into `out`; the tests' assembly.
fn compile_dotnet_sdk(out: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../client/dotnet");
    let cs = |dir: &str, only: Option<&str>| -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "cs"))
            .filter(|p| {
                only.is_none_or(|name| p.ends_with(name))
                    && (only.is_some() || !p.ends_with("KilledApp.cs"))
            })
            .collect();
        files.sort();
        files
    };
    assert!(
        Path::new(NUNIT).exists(),
        "{NUNIT} is missing: `apt-get install mono-devel nunit-console` (scripts/install.sh --tests does)"
    );
    std::fs::copy(NUNIT, out.join("nunit.framework.dll")).unwrap();
    let sdk = out.join("CustomerProfiles.Sdk.dll");
    let tests = out.join("CustomerProfiles.Sdk.Tests.dll");
    let builds = [
        ("library", sdk.clone(), vec![], cs("src", None)),
        (
            "library",
            tests.clone(),
            vec![sdk.clone(), PathBuf::from(NUNIT)],
            cs("tests", None),
        ),
        (
            "exe",
            out.join("KilledApp.exe"),
            vec![sdk.clone()],
            cs("tests", Some("KilledApp.cs")),
        ),
    ];
    for (target, output, references, files) in builds {
        let (ok, printed) = common::printed(
            Command::new("mcs")
                .args(["-langversion:7.2", "-warnaserror", "-r:System.Net.Http"])
                .arg(format!("-target:{target}"))
                .arg(format!("-out:{}", output.display()))
                .args(references.iter().map(|r| format!("-r:{}", r.display())))
                .args(&files)
                .output()
                .expect("mcs (mono-devel) runs"),
        );
        assert!(
            ok,
            "the .NET SDK compiles ({}):\n{printed}",
            output.display()
        );
    }
    tests
}

/// Debian's NUnit 2.6 framework, which `nunit-console` runs.
const NUNIT: &str = "/usr/lib/cli/nunit.framework-2.6.3/nunit.framework.dll";

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
