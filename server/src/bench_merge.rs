//! `customer-profiles bench-merge`: seeds customers when the database is empty, times the
//! likely-duplicate checks of a profile and the first page of each duplicates list, then
//! gives one customer many events and times previewing, merging and undoing a merge of it.

use app::auth::{CurrentUser, Role};
use app::events::NewEvent;
use app::merge::service::MergeRequest;
use app::state::{AppState, Config};
use app::store::Db;
use clap::Args;
use std::time::{Duration, Instant};

/// Options of `bench-merge`.
#[derive(Debug, Args)]
pub struct BenchMergeArgs {
    /// Customers to seed (without event history) when the database is empty.
    #[arg(long, default_value_t = 1_000_000)]
    pub customers: u64,
    /// Profiles whose likely duplicates are looked up.
    #[arg(long, default_value_t = 1_000)]
    pub iterations: usize,
    /// Events the customer merged away holds.
    #[arg(long, default_value_t = 100_000)]
    pub events: usize,
}

/// Runs the benchmark and returns the report.
pub async fn run(db: &Db, args: &BenchMergeArgs) -> Result<String, String> {
    let mut report = crate::bench::seed_if_empty(db, args.customers).await?;
    let total = app::customers::db::count(db)
        .await
        .map_err(|e| e.to_string())?;
    let state = AppState::new(db.clone(), Config::default())
        .await
        .map_err(|e| e.to_string())?;
    let supervisor = CurrentUser {
        id: uuid::Uuid::now_v7().to_string(),
        email: "bench@brand.test".into(),
        display_name: "Bench".into(),
        role: Role::Supervisor,
        permissions: Role::Supervisor.permissions(),
    };
    report.push_str(&format!(
        "{:?}, {total} customers\n\n{:<44} {:>9} {:>9} {:>9}\n",
        db.backend(),
        "scenario",
        "p50 ms",
        "p99 ms",
        "max ms"
    ));
    let samples = crate::bench::sample(db, total, args.iterations).await?;
    let (mut times, mut flagged) = (Vec::new(), 0);
    for sampled in &samples {
        let started = Instant::now();
        let found = app::duplicates::service::suggestions(&state, &supervisor, sampled.id.clone())
            .await
            .map_err(|e| e.to_string())?;
        times.push(started.elapsed());
        flagged += usize::from(!found.is_empty());
    }
    report.push_str(&crate::bench::line(
        "possible duplicates of one profile",
        &mut times,
    ));
    for reason in app::duplicates::Reason::ALL {
        let mut times = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            app::duplicates::service::list(&state, &supervisor, reason.as_str().into(), None)
                .await
                .map_err(|e| e.to_string())?;
            times.push(started.elapsed());
        }
        let name = format!("duplicates list, first page: {}", reason.as_str());
        report.push_str(&crate::bench::line(&name, &mut times));
    }
    report.push_str(&format!(
        "\n{flagged} of {} sampled profiles have a likely duplicate\n\n",
        samples.len()
    ));
    let [survivor, absorbed, ..] = samples.as_slice() else {
        return Err("too few customers to merge".into());
    };
    let started = Instant::now();
    give_events(db, &absorbed.id, args.events).await?;
    report.push_str(&format!(
        "gave the absorbed customer {} events in {:.1} s\n",
        args.events,
        started.elapsed().as_secs_f64()
    ));
    let timed =
        |what: &str, took: Duration| format!("{what:<44} {:>9.0}\n", took.as_secs_f64() * 1000.0);
    report.push_str(&format!("{:<44} {:>9}\n", "step", "ms"));
    let started = Instant::now();
    let preview = app::merge::service::preview(
        &state,
        &supervisor,
        survivor.id.clone(),
        absorbed.id.clone(),
    )
    .await
    .map_err(|e| e.to_string())?;
    report.push_str(&timed("preview", started.elapsed()));
    let request = MergeRequest {
        survivor_id: survivor.id.clone(),
        absorbed_id: absorbed.id.clone(),
        survivor_version: preview.survivor.version,
        absorbed_version: preview.absorbed.version,
        keep_absorbed: Vec::new(),
        confirm_restricted: true,
    };
    let started = Instant::now();
    let done = app::merge::service::merge(&state, &supervisor, request)
        .await
        .map_err(|e| e.to_string())?;
    report.push_str(&timed(
        &format!("merge ({} events move)", args.events),
        started.elapsed(),
    ));
    let started = Instant::now();
    app::merge::service::undo(&state, &supervisor, survivor.id.clone(), done.merge_id)
        .await
        .map_err(|e| e.to_string())?;
    report.push_str(&timed("undo (they move back)", started.elapsed()));
    Ok(report)
}

/// Adds `count` app sessions to customer `id`, a thousand per transaction.
async fn give_events(db: &Db, id: &str, count: usize) -> Result<(), String> {
    let start = app::time::now_millis() - count as i64 * 60_000;
    let events: Vec<NewEvent> = (0..count)
        .map(|n| {
            let mut event = NewEvent::console(
                id,
                "app_session",
                start + n as i64 * 60_000,
                serde_json::json!({"platform": "iOS"}),
            );
            event.source = "app".into();
            event
        })
        .collect();
    for chunk in events.chunks(1_000) {
        let mut tx = db.begin_write().await.map_err(|e| e.to_string())?;
        app::events::db::insert_many(&mut tx, chunk)
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    Ok(())
}
