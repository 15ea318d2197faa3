//! Customer analytics on both databases: a refresh scores the analysable base and leaves out
//! restricted and test customers; the widgets' server function, its permissions and errors;
//! settings validation and an admin-triggered refresh; and the `analytics` commands.

#![allow(clippy::unwrap_used)]

use crate::common;

use crate::common::console::{spawn, Console};
use app::store::Db;
use serde_json::Value;

async fn customer_analytics(console: &Console, id: &str) -> (u16, Value) {
    let response = console
        .call(
            app::analytics::api::get_customer_analytics,
            &[("customer_id", id)],
        )
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn analysable_customer_with_score(db: &Db) -> String {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT s.customer_id FROM customer_scores s ORDER BY s.clv_cents DESC LIMIT 1",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    ids[0].clone()
}

#[tokio::test]
async fn a_refresh_scores_the_base_and_the_profile_shows_it() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 60).await;
        let report = app::analytics::job::refresh(&common::state_of(&db).await, "test", None)
            .await
            .unwrap();
        assert!(report.scored > 30, "{label}: {report}");
        assert!(
            report.summary.rules > 0,
            "{label}: the seeded baskets have companions"
        );
        assert_eq!(report.summary.medians.len(), 3, "{label}");
        let m = report.summary.models;
        assert!(
            m.r > 0.0 && m.alpha > 0.0 && m.a > 0.0 && m.b > 0.0 && m.q > 1.0,
            "{label}: {m:?}"
        );

        // Every analysable buyer is scored; test profiles are not.
        let (scored, buyers, test_scored): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM customer_scores), \
             (SELECT COUNT(DISTINCT e.customer_id) FROM events e JOIN customers c ON c.id = e.customer_id \
              WHERE e.event_type = 'purchase' AND c.is_test = 0 AND c.restricted_at IS NULL), \
             (SELECT COUNT(*) FROM customer_scores s JOIN customers c ON c.id = s.customer_id WHERE c.is_test = 1)",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!((scored, test_scored), (buyers, 0), "{label}");
        let (bad_ranges,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM customer_scores WHERE p_alive < 0 OR p_alive > 1 \
             OR p_alive_rank < 0 OR p_alive_rank > 100 OR clv_rank < 0 OR clv_rank > 100 \
             OR clv_cents < 0 OR expected_purchases < 0",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(bad_ranges, 0, "{label}");

        let base = spawn(db.clone(), Default::default()).await;
        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let id = analysable_customer_with_score(&db).await;
        let (status, analytics) = customer_analytics(&agent, &id).await;
        assert_eq!(status, 200, "{label}: {analytics}");
        assert_eq!(analytics["coverage"], "Scored", "{label}");
        assert_eq!(analytics["clv_horizon_months"], 12, "{label}");
        assert!(analytics["fitted_at"].as_i64().is_some(), "{label}");
        let rfm = analytics["rfm"].as_array().unwrap();
        assert_eq!(rfm.len(), 3, "{label}");
        let lifetime = &rfm[2];
        assert_eq!(lifetime["window"], "Lifetime");
        assert!(
            lifetime["customer"]["frequency"].as_f64().unwrap() >= 2.0,
            "{label}"
        );
        assert!(
            lifetime["base_median"]["frequency"].as_f64().is_some(),
            "{label}"
        );
        assert!(
            analytics["score"]["clv_cents"].as_i64().unwrap() > 0,
            "{label}"
        );

        // Unknown customers and signed-out callers get clear errors, not scores.
        let (status, _) = customer_analytics(&agent, "00000000-0000-0000-0000-000000000000").await;
        assert_eq!(status, 404, "{label}");
        let (status, _) = customer_analytics(&Console::new(&base), &id).await;
        assert_eq!(status, 401, "{label}");

        // Scores are personal data (profiling): the customer's export holds them.
        let admin = Console::signed_in(&base, "admin@demo.test").await;
        let export = admin
            .post(&format!("/api/v1/customers/{id}/privacy/export"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            export.contains("\ncustomer_scores,"),
            "{label}: scores in the export"
        );
        assert!(export.contains(",p_alive,"), "{label}");

        // Restricting processing drops the scores at once and keeps them out of refreshes.
        let restricted = admin
            .call(
                app::privacy::restrict_processing,
                &[("customer_id", id.as_str()), ("reason", "Request 7")],
            )
            .await;
        assert_eq!(restricted.status(), 200, "{label}");
        let (_, analytics) = customer_analytics(&agent, &id).await;
        assert_eq!(analytics["coverage"], "Restricted", "{label}");
        assert!(analytics["score"].is_null(), "{label}");
        let again = app::analytics::job::refresh(&common::state_of(&db).await, "test", None)
            .await
            .unwrap();
        assert_eq!(again.scored as i64, scored - 1, "{label}");
        assert_eq!(again.left_out, report.left_out + 1, "{label}");
        let (flags, score) = app::analytics::db::customer_flags_and_score(&db, &id)
            .await
            .unwrap()
            .expect("the customer is still there");
        assert_eq!(flags, (true, false), "{label}");
        assert!(score.is_none(), "{label}");
    }
}

#[tokio::test]
async fn settings_are_validated_and_an_admin_refresh_applies_them() {
    let (db, _guard) = common::sqlite().await;
    common::seed(&db, 40).await;
    let base = spawn(db.clone(), Default::default()).await;
    let agent = Console::signed_in(&base, "agent@demo.test").await;
    assert_eq!(
        agent
            .call(app::analytics::api::refresh_analytics, &[])
            .await
            .status(),
        403
    );
    assert_eq!(
        agent
            .call(app::analytics::api::get_analytics_overview, &[])
            .await
            .status(),
        403
    );

    let admin = Console::signed_in(&base, "admin@demo.test").await;
    let save = |months: &'static str, percent: &'static str, hours: &'static str| {
        let admin = &admin;
        async move {
            let form = [
                ("horizon_months", months),
                ("monthly_discount_percent", percent),
                ("refresh_hours", hours),
            ];
            let response = admin
                .call(app::analytics::api::save_analytics_settings, &form)
                .await;
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, body) = save("0", "1", "24").await;
    assert_eq!(status, 422);
    assert!(body.contains("horizon_months"), "{body}");
    let (status, body) = save("24", "eleven", "24").await;
    assert_eq!(status, 422);
    assert!(body.contains("monthly_discount_percent"), "{body}");
    let (status, body) = save("24", "0.5", "0").await;
    assert_eq!(status, 422);
    assert!(body.contains("refresh_hours"), "{body}");
    let (status, body) = save("24", "0.5", "6").await;
    assert_eq!(status, 200, "{body}");

    let started = admin
        .call(app::analytics::api::refresh_analytics, &[])
        .await;
    assert_eq!(started.status(), 200);
    let mut overview = Value::Null;
    for _ in 0..100 {
        overview = admin
            .call(app::analytics::api::get_analytics_overview, &[])
            .await
            .json()
            .await
            .unwrap();
        if overview["running"] == false && overview["runs"][0]["status"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let run = &overview["runs"][0];
    assert_eq!(run["status"], "succeeded", "{overview}");
    assert_eq!(run["trigger_kind"], "admin");
    assert_eq!(run["requested_by"], "admin@demo.test");
    assert_eq!(run["summary"]["clv_horizon_months"], 24);
    assert_eq!(overview["settings"]["monthly_discount"], 0.005);
    let id = analysable_customer_with_score(&db).await;
    let (_, analytics) = customer_analytics(&agent, &id).await;
    assert_eq!(analytics["clv_horizon_months"], 24);
}

#[tokio::test]
async fn one_refresh_at_a_time() {
    let (db, _guard) = common::sqlite().await;
    let job = app::analytics::AnalyticsJob::default();
    let state = common::state_of(&db).await;
    assert!(job.start(state.clone(), "test", None));
    assert!(
        !job.start(state.clone(), "test", None),
        "a second refresh must wait"
    );
    for _ in 0..100 {
        if !job.is_running() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // An empty base cannot be fitted: the run fails with the reason on record.
    let runs = app::analytics::db::recent_runs(&db, 5).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, "failed");
    assert!(
        runs[0]
            .error
            .as_deref()
            .unwrap_or("")
            .contains("not enough purchase history"),
        "{:?}",
        runs[0].error
    );
}

const CDNOW_SUMMARY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../app/tests/data/cdnow_customers_summary_with_transactions.csv"
);

#[test]
fn analytics_fit_prints_the_published_cdnow_parameters_and_writes_scores() {
    let guard = common::tempdir::Guard::create();
    let scores = format!("{}/scores.csv", guard.path());
    let (ok, text) = common::run_binary(&[
        "analytics",
        "fit",
        "--rfm-csv",
        CDNOW_SUMMARY,
        "--scores-out",
        &scores,
    ]);
    assert!(ok, "{text}");
    let report: Value = serde_json::from_str(&text).unwrap();
    let round3 = |v: &Value| format!("{:.3}", v.as_f64().unwrap());
    assert_eq!(round3(&report["bg_nbd"]["r"]), "0.243");
    assert_eq!(round3(&report["bg_nbd"]["alpha"]), "4.414");
    assert_eq!(round3(&report["bg_nbd"]["a"]), "0.793");
    assert_eq!(round3(&report["bg_nbd"]["b"]), "2.426");
    assert_eq!(
        format!("{:.2}", report["gamma_gamma"]["p"].as_f64().unwrap()),
        "6.25"
    );
    assert_eq!(
        format!("{:.2}", report["gamma_gamma"]["q"].as_f64().unwrap()),
        "3.74"
    );
    assert_eq!(
        format!("{:.1}", report["gamma_gamma"]["v"].as_f64().unwrap()),
        "15.4"
    );
    let written = std::fs::read_to_string(&scores).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(
        lines[0],
        "ID,p_alive,expected_purchases_52w,expected_avg_spend,clv_12m"
    );
    assert_eq!(lines.len(), 2358);
    // Customer 1 (x = 2, t_x = 30.43, T = 38.86): P(alive) 0.7266 worked by hand.
    assert!(lines[1].starts_with("1,0.7266"), "{}", lines[1]);
}

#[test]
fn analytics_fit_names_the_bad_line() {
    let guard = common::tempdir::Guard::create();
    let csv = format!("{}/bad.csv", guard.path());
    std::fs::write(
        &csv,
        "ID,x,t_x,T,zbar\n1,2,30.43,38.86,22.35\n2,one,1.71,38.86,11.77\n",
    )
    .unwrap();
    let (ok, text) = common::run_binary(&["analytics", "fit", "--rfm-csv", &csv]);
    assert!(!ok);
    assert!(text.contains("line 3, column x"), "{text}");
    std::fs::write(&csv, "ID,x,T\n1,2,3\n").unwrap();
    let (ok, text) = common::run_binary(&["analytics", "fit", "--rfm-csv", &csv]);
    assert!(!ok);
    assert!(text.contains("no column t_x"), "{text}");
    std::fs::write(&csv, "ID,x,t_x,T,zbar\n1,2,40,38.86,22.35\n").unwrap();
    let (ok, text) = common::run_binary(&["analytics", "fit", "--rfm-csv", &csv]);
    assert!(!ok);
    assert!(text.contains("recency cannot exceed age"), "{text}");
}

#[test]
fn import_cdnow_then_refresh() {
    let guard = common::tempdir::Guard::create();
    let url = format!("sqlite://{}/cdnow.db", guard.path());
    let log = format!("{}/CDNOW_master.txt", guard.path());
    // 30 customers, each buying every 20 to 80 days through 1997, some stopping early.
    let mut text = String::from(" customer_id  date number_of_cds  dollar_value\n");
    for customer in 1..=30 {
        let purchases = 1 + customer % 7;
        for n in 0..purchases {
            let day = chrono::NaiveDate::from_ymd_opt(1997, 1, 1).unwrap()
                + chrono::Duration::days(i64::from(n * (20 + customer % 60)));
            text.push_str(&format!(
                " {customer:05} {} {} {}.{:02}\n",
                day.format("%Y%m%d"),
                1 + n % 3,
                10 + customer,
                n * 7 % 100
            ));
        }
    }
    std::fs::write(&log, text).unwrap();
    let (ok, out) =
        common::run_binary(&["--database-url", &url, "analytics", "import-cdnow", &log]);
    assert!(ok, "{out}");
    assert!(
        out.contains("imported 30 CDNOW customers and 117 purchases"),
        "{out}"
    );
    let (ok, out) =
        common::run_binary(&["--database-url", &url, "analytics", "import-cdnow", &log]);
    assert!(!ok, "a second import must not duplicate customers");
    assert!(out.contains("already imported"), "{out}");
    let (ok, out) = common::run_binary(&["--database-url", &url, "analytics", "refresh"]);
    assert!(ok, "{out}");
    assert!(out.contains("scored 30 customers"), "{out}");
}
