//! `customer-profiles bench-ingest`: times the ingest path (validation, matching,
//! enrichment, projections, one transaction per batch) on batches of 1,000 events, then the
//! first page of the event stream of a customer with 100,000 events. The same batches are
//! also written by [`floor`], the plainest code keeping the same rows, before and after, for
//! the ratio.

mod floor;

use app::auth::CurrentUser;
use app::state::AppState;
use app::store::Db;
use clap::Args;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Options of `bench-ingest`.
#[derive(Debug, Args)]
pub struct BenchIngestArgs {
    /// Customers to seed (without history) when the database is empty.
    #[arg(long, default_value_t = 20_000)]
    pub customers: u64,
    /// Batches of 1,000 events to time.
    #[arg(long, default_value_t = 50)]
    pub batches: usize,
    /// Events given to the one customer whose stream page is timed.
    #[arg(long, default_value_t = 100_000)]
    pub stream_events: usize,
    /// Stream page reads timed.
    #[arg(long, default_value_t = 300)]
    pub page_reads: usize,
    /// Senders posting batches at the same time (a server has several tills).
    #[arg(long, default_value_t = 1)]
    pub senders: usize,
}

const BATCH: usize = 1_000;

/// Runs the benchmark and returns the report.
pub async fn run(db: &Db, args: &BenchIngestArgs) -> Result<String, String> {
    let (mut report, customers) = customers_to_send_for(db, args.customers).await?;
    let Some(stream_customer) = customers.first().cloned() else {
        return Err("no customers with an external id to send events for".into());
    };
    let run = app::time::now_millis();
    let state = AppState::new(db.clone(), Default::default())
        .await
        .map_err(|e| e.to_string())?;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let batches: Vec<Vec<Value>> = (0..args.batches)
        .map(|batch| {
            (0..BATCH)
                .map(|i| {
                    let customer = &customers[rng.gen_range(0..customers.len())];
                    mixed_event(&mut rng, format!("bench-{run}-{batch}-{i}"), customer)
                })
                .collect()
        })
        .collect();
    // The floor runs before and after the console, on the database as the console found it and
    // as it left it (the indexes grow by a batch each time, and SQLite checkpoints its log
    // whenever it fills): their mean is the ratio's floor.
    let floor_before = floor::throughput(db, &batches, "floor-").await?;
    let floor_batches = batches.clone();
    let senders = args.senders.max(1);
    let mut shares: Vec<Vec<Vec<Value>>> = vec![Vec::new(); senders];
    for (i, batch) in batches.into_iter().enumerate() {
        shares[i % senders].push(batch);
    }
    let started = Instant::now();
    let tasks: Vec<_> = shares
        .into_iter()
        .map(|share| {
            let state = state.clone();
            tokio::spawn(async move {
                let mut times = Vec::new();
                for events in share {
                    times.push(ingest(&state, events, BATCH).await?);
                }
                Ok::<_, String>(times)
            })
        })
        .collect();
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await.map_err(|e| e.to_string())??);
    }
    let total = started.elapsed();
    let floor_after = floor::throughput(db, &floor_batches, "floor-after-").await?;
    let floor = 2.0 / (1.0 / floor_before + 1.0 / floor_after);
    report.push_str(&format!(
        "{:?}: {} batches of {BATCH} mixed events over {} customers, {senders} sender(s)\n",
        db.backend(),
        args.batches,
        customers.len()
    ));
    let throughput = (args.batches * BATCH) as f64 / total.as_secs_f64();
    report.push_str(&format!(
        "throughput {throughput:.0} events/s; the floor (the same rows, one insert and one \
         update a batch, nothing checked) {floor:.0} events/s; ratio {:.2} (floor before \
         {floor_before:.0}, after {floor_after:.0})\n",
        throughput / floor
    ));
    report.push_str(&crate::bench::line("batch latency", &mut times));

    let started = Instant::now();
    for batch in 0..args.stream_events.div_ceil(BATCH) {
        let events = (0..BATCH)
            .map(|i| {
                mixed_event(
                    &mut rng,
                    format!("stream-{run}-{batch}-{i}"),
                    &stream_customer,
                )
            })
            .collect();
        ingest(&state, events, BATCH).await?;
    }
    report.push_str(&format!(
        "gave one customer {} events in {:.1} s\n",
        args.stream_events.div_ceil(BATCH) * BATCH,
        started.elapsed().as_secs_f64()
    ));
    // What autovacuum would do on PostgreSQL after a load this size (nothing on SQLite).
    db.after_bulk_load().await.map_err(|e| e.to_string())?;
    let id = app::identity::db::owner(db, "external_id", &stream_customer)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the stream customer vanished")?;
    let points = app::activity::Section::find("points")
        .map(|s| s.event_types)
        .unwrap_or(&[]);
    for (name, types, search) in [
        ("stream first page", &[][..], None),
        ("stream first page, points only", points, None),
        (
            "stream first page, search \"Latte\"",
            &[][..],
            Some("Latte"),
        ),
        (
            "stream, search matching nothing (full scan)",
            &[][..],
            Some("no-such-text"),
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..args.page_reads {
            let started = Instant::now();
            let filter = app::events::db::Filter { types, search };
            let page = app::events::db::page(db, &id, &filter, None, app::events::db::PAGE_SIZE)
                .await
                .map_err(|e| e.to_string())?;
            times.push(started.elapsed());
            if page.events.is_empty() != search.is_some_and(|s| s.starts_with("no-such")) {
                return Err(format!("{name}: unexpected page of {}", page.events.len()));
            }
        }
        report.push_str(&crate::bench::line(name, &mut times));
    }
    Ok(report)
}

/// Seeds `count` customers (without history) into an empty database; returns what it did, as
/// a report line, and the external ids of up to 50,000 customers to send events for.
pub(crate) async fn customers_to_send_for(
    db: &Db,
    count: u64,
) -> Result<(String, Vec<String>), String> {
    let mut report = String::new();
    if app::customers::db::count(db)
        .await
        .map_err(|e| e.to_string())?
        == 0
    {
        let started = Instant::now();
        let seed = crate::seed::SeedArgs {
            customers: count,
            seed: 42,
            as_of: None,
            without_events: true,
            duplicates: 0,
        };
        crate::seed::run(db, &seed).await?;
        report.push_str(&format!(
            "seeded {count} customers (no events) in {:.1} s\n",
            started.elapsed().as_secs_f64()
        ));
    }
    let customers = app::customers::db::external_ids(db, 50_000)
        .await
        .map_err(|e| e.to_string())?;
    Ok((report, customers))
}

async fn ingest(state: &AppState, events: Vec<Value>, expected: usize) -> Result<Duration, String> {
    let sender = CurrentUser::system("bench-ingest", "Ingest benchmark");
    let started = Instant::now();
    let report =
        app::ingest::service::ingest(state, &sender, events, app::time::now_millis(), None)
            .await
            .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    if report.accepted != expected {
        let refused = report
            .results
            .iter()
            .find(|r| !matches!(r.outcome, app::ingest::model::Outcome::Accepted { .. }));
        return Err(format!(
            "only {} of {expected} accepted; first other: {refused:?}",
            report.accepted
        ));
    }
    Ok(elapsed)
}

/// One event of a realistic mix: purchases with line items, points earned, app sessions,
/// tags, campaign progress, offers and the odd tier promotion.
pub(crate) fn mixed_event(rng: &mut ChaCha8Rng, event_id: String, customer: &str) -> Value {
    const SKUS: [&str; 5] = ["DRK-001", "DRK-002", "DRK-003", "DRK-004", "DRK-005"];
    let at = chrono::Utc::now() - chrono::Duration::seconds(rng.gen_range(60..86_400 * 30));
    let mut event = json!({
        "event_id": event_id,
        "occurred_at": at.to_rfc3339(),
        "customer": {"external_id": customer},
        "source": "pos",
    });
    let (event_type, payload) = match rng.gen_range(0..100) {
        0..=44 => {
            let items: Vec<Value> = (0..rng.gen_range(1..=3))
                .map(|_| json!({"sku": SKUS[rng.gen_range(0..SKUS.len())], "qty": rng.gen_range(1..3)}))
                .collect();
            event["store_id"] = json!("LDN-001");
            (
                "purchase",
                json!({"amount_cents": rng.gen_range(250..2500), "currency": "GBP", "items": items}),
            )
        }
        45..=74 => (
            "points_earned",
            json!({"points": rng.gen_range(1..40), "reason": "purchase"}),
        ),
        75..=84 => (
            "app_session",
            json!({"platform": "iOS", "duration_s": rng.gen_range(10..600)}),
        ),
        85..=89 => {
            let tag = ["coffee-lover", "weekday", "app-user"][rng.gen_range(0..3)];
            ("tag_appended", json!({ "tag": tag }))
        }
        90..=94 => (
            "campaign_progress",
            json!({"campaign": "Autumn stamps", "progress": rng.gen_range(1..8), "goal": 8}),
        ),
        95..=97 => ("offer_redeemed", json!({"offer": "Free pastry"})),
        _ => ("tier_promoted", json!({"tier": "Gold"})),
    };
    event["type"] = json!(event_type);
    event["payload"] = payload;
    event
}
