//! One way to change a customer (`app::change`): the events and audit record of a change are
//! committed together, open profiles hear of it after the commit, and side effects such as
//! mail never run while the write lock is held. Called through the services directly, on
//! both databases.

use crate::common;
use app::auth::{CurrentUser, Role};
use app::state::{AppState, Config};
use app::store::Db;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

fn admin() -> CurrentUser {
    CurrentUser {
        id: uuid::Uuid::now_v7().to_string(),
        email: "lead@brand.test".into(),
        display_name: "Team Lead".into(),
        role: Role::Admin,
        permissions: Role::Admin.permissions(),
    }
}

async fn a_customer_with_email(db: &Db) -> String {
    sqlx::query_scalar("SELECT id FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 1")
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn count(db: &Db, sql: &str, customer_id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(customer_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_sms_verification_reset_reaches_open_profiles_after_its_commit() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 3).await;
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let customer = a_customer_with_email(&db).await;
        let mut open_profile = state.live.subscribe();
        app::access::service::reset_sms(&state, &admin(), &customer)
            .await
            .unwrap();
        let told = tokio::time::timeout(Duration::from_secs(2), open_profile.recv()).await;
        assert_eq!(told.unwrap().unwrap(), customer, "{name}");
        let events = "SELECT COUNT(*) FROM events WHERE customer_id = $1 \
                      AND event_type = 'sms_verification_reset'";
        assert_eq!(count(&db, events, &customer).await, 1, "{name}");
        let audit = "SELECT COUNT(*) FROM audit_log WHERE customer_id = $1 \
                     AND action = 'access.reset_sms_verification'";
        assert_eq!(count(&db, audit, &customer).await, 1, "{name}");
    }
}

/// A minimal SMTP server that, while it holds the message, checks whether the database's
/// write lock is free (another writer gets it within a second); answers with that.
async fn smtp_server_checking_the_lock(db: Db) -> (String, tokio::task::JoinHandle<bool>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut lock_was_free = false;
        write.write_all(b"220 fake ESMTP\r\n").await.unwrap();
        while let Some(line) = lines.next_line().await.unwrap() {
            let command = line.to_ascii_uppercase();
            let answer: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                b"250 fake\r\n"
            } else if command.starts_with("DATA") {
                b"354 go ahead\r\n"
            } else if line == "." {
                let other_writer =
                    tokio::time::timeout(Duration::from_secs(1), db.begin_write()).await;
                lock_was_free = matches!(other_writer, Ok(Ok(_)));
                b"250 queued\r\n"
            } else if command.starts_with("QUIT") {
                write.write_all(b"221 bye\r\n").await.unwrap();
                break;
            } else if command.starts_with("MAIL") || command.starts_with("RCPT") {
                b"250 ok\r\n"
            } else {
                continue;
            };
            write.write_all(answer).await.unwrap();
        }
        lock_was_free
    });
    (url, handle)
}

#[tokio::test]
async fn a_password_reset_email_is_sent_while_the_database_stays_writable() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        common::seed(&db, 3).await;
        let (smtp_url, server) = smtp_server_checking_the_lock(db.clone()).await;
        let mail = app::access::MailConfig::new(
            &smtp_url,
            "Brand <care@brand.test>",
            "https://brand.test/reset",
        )
        .unwrap();
        let config = Config {
            mail: Some(mail),
            ..Config::default()
        };
        let state = AppState::new(db.clone(), config).await.unwrap();
        let customer = a_customer_with_email(&db).await;
        let mut open_profile = state.live.subscribe();
        let told_agent = app::access::service::password_reset(&state, &admin(), &customer)
            .await
            .unwrap();
        assert!(
            told_agent.starts_with("Password-reset email sent to "),
            "{name}"
        );
        assert!(
            server.await.unwrap(),
            "{name}: the write lock was held while mailing"
        );
        let told = tokio::time::timeout(Duration::from_secs(2), open_profile.recv()).await;
        assert_eq!(told.unwrap().unwrap(), customer, "{name}");
        let events = "SELECT COUNT(*) FROM events WHERE customer_id = $1 \
                      AND event_type = 'password_reset_sent'";
        assert_eq!(count(&db, events, &customer).await, 1, "{name}");
    }
}

#[tokio::test]
async fn a_failed_change_writes_nothing_and_tells_nobody() {
    let (dbs, _guard) = common::each_database().await;
    for (name, db) in dbs {
        let state = AppState::new(db.clone(), Config::default()).await.unwrap();
        let mut open_profile = state.live.subscribe();
        let missing = uuid::Uuid::now_v7().to_string();
        let refused = app::access::service::reset_sms(&state, &admin(), &missing).await;
        assert!(
            matches!(refused, Err(app::error::AppError::NotFound(_))),
            "{name}"
        );
        assert!(open_profile.try_recv().is_err(), "{name}");
        let audit = "SELECT COUNT(*) FROM audit_log WHERE customer_id = $1";
        assert_eq!(count(&db, audit, &missing).await, 0, "{name}");
    }
}
