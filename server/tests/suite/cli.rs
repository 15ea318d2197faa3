//! The `customer-profiles` binary as an operator uses it.

#![allow(clippy::unwrap_used)]

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

fn create_user(database_url: &str, email: &str, role: &str, password: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_customer-profiles"))
        .args([
            "--database-url",
            database_url,
            "create-user",
            "--email",
            email,
        ])
        .args(["--role", role, "--name", "First Admin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    common::printed(child.wait_with_output().unwrap())
}

#[tokio::test]
async fn create_user_reads_the_password_from_stdin_and_validates_it() {
    let guard = common::tempdir::Guard::create();
    let url = format!("sqlite://{}/cli.db", guard.path());
    let (ok, text) = create_user(&url, "root@example.com", "admin", "short");
    assert!(!ok);
    assert!(
        text.contains("password: Use at least 12 characters"),
        "{text}"
    );
    let (ok, text) = create_user(&url, "Root@Example.com", "admin", "a long admin passphrase");
    assert!(ok, "{text}");
    assert!(
        text.contains("created root@example.com (admin) with 17 permissions"),
        "{text}"
    );
    let (ok, text) = create_user(&url, "root@example.com", "admin", "a long admin passphrase");
    assert!(!ok);
    assert!(text.contains("already exists"), "{text}");
    let (ok, text) = create_user(&url, "x@example.com", "wizard", "a long admin passphrase");
    assert!(!ok);
    assert!(text.contains("role: Choose a role"), "{text}");
}

fn import(database_url: &str, args: &[&str]) -> (bool, String) {
    common::run_binary(&[&["--database-url", database_url, "import"], args].concat())
}

#[tokio::test]
async fn import_maps_columns_reports_and_writes_the_refused_rows_beside_the_file() {
    let guard = common::tempdir::Guard::create();
    let url = format!("sqlite://{}/cli.db", guard.path());
    let file = format!("{}/crm.csv", guard.path());
    std::fs::write(
        &file,
        "Email,First name,Notes\nann@example.com,Ann,vip\nnot-an-email,Bob,\n",
    )
    .unwrap();
    let (ok, text) = import(&url, &["customers", &file, "--quiet"]);
    assert!(!ok, "an unknown column stops the import: {text}");
    assert!(text.contains("column 3 (Notes)"), "{text}");
    let (ok, text) = import(
        &url,
        &[
            "customers",
            &file,
            "--quiet",
            "--map",
            "Notes=ignore",
            "--dry-run",
        ],
    );
    assert!(ok, "{text}");
    assert!(
        text.contains("would be created: 1") && text.contains("rejected: 1"),
        "{text}"
    );
    let (ok, text) = import(
        &url,
        &["customers", &file, "--quiet", "--map", "Notes=ignore"],
    );
    assert!(ok, "{text}");
    assert!(
        text.contains("done: 2 rows") && text.contains("created: 1"),
        "{text}"
    );
    let refused = std::fs::read_to_string(format!("{}/crm.rejected.csv", guard.path())).unwrap();
    assert_eq!(
        refused.lines().collect::<Vec<_>>(),
        [
            "row,column,problem,outcome",
            "3,Email,Enter an email address like name@example.com.,row refused"
        ]
    );
    let (ok, text) = import(
        &url,
        &["customers", &file, "--quiet", "--map", "Notes=ignore"],
    );
    assert!(
        ok && text.contains("created: 0") && text.contains("unchanged: 1"),
        "{text}"
    );
}
