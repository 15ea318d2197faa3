//! `customer-profiles bench-import`: writes a CRM-like customers CSV (and an events NDJSON)
//! into a folder, inserts the customers with a plain script (multi-row INSERTs, no checks),
//! removes them, then imports the same file through the import (validation, matching, events,
//! progress) and the events after it; prints times, rows a second, the ratio, and the peak
//! memory after each step. Needs an empty database.

use app::auth::{CurrentUser, Permission, Role};
use app::customers::{Contact, NewCustomer};
use app::state::{AppState, Config};
use app::store::Db;
use clap::Args;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Options of `bench-import`.
#[derive(Debug, Args)]
pub struct BenchImportArgs {
    /// Customers in the CSV.
    #[arg(long, default_value_t = 1_000_000)]
    pub customers: u64,
    /// Events in the NDJSON (0: no events import).
    #[arg(long, default_value_t = 0)]
    pub events: u64,
    /// Where the files are written (kept for a rerun).
    #[arg(long, default_value = "/tmp/bench-import")]
    pub dir: PathBuf,
    /// Only the events import, into a database an earlier run imported the customers into.
    #[arg(long)]
    pub events_only: bool,
}

const FIRST: [&str; 8] = ["Ada", "Bea", "Cal", "Dev", "Eli", "Fay", "Gus", "Hal"];
const LAST: [&str; 8] = [
    "Lovelace", "Hopper", "Turing", "Noether", "Curie", "Franklin", "Meitner", "Shannon",
];
const CITIES: [&str; 4] = ["London", "Leeds", "Bristol", "Glasgow"];

/// Runs the benchmark and returns the report.
pub async fn run(db: &Db, args: &BenchImportArgs) -> Result<String, String> {
    let existing = app::customers::db::count(db)
        .await
        .map_err(|e| e.to_string())?;
    if args.events_only {
        let state = AppState::new(db.clone(), Config::default())
            .await
            .map_err(|e| e.to_string())?;
        let report = format!("{:?}, {existing} customers\n", db.backend());
        return events(&state, &bench_user(), args, report).await;
    }
    if existing > 0 {
        return Err(format!(
            "bench-import needs an empty database ({existing} customers here)"
        ));
    }
    std::fs::create_dir_all(&args.dir).map_err(|e| e.to_string())?;
    let csv_path = args.dir.join(format!("customers-{}.csv", args.customers));
    let started = Instant::now();
    if !csv_path.exists() {
        write_customers(&csv_path, args.customers)?;
    }
    let mut report = format!(
        "{:?}; customers file {} ({} MB) ready in {:.1} s\n",
        db.backend(),
        csv_path.display(),
        file_mb(&csv_path),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    plain_insert(db, &csv_path).await?;
    let plain = started.elapsed().as_secs_f64();
    report.push_str(&format!(
        "plain script (multi-row INSERTs of customers and identifiers, no checks): {plain:.1} s, {:.0} rows/s; peak memory {}\n",
        args.customers as f64 / plain,
        crate::telemetry::peak_memory()
    ));
    clear(db).await?;

    let state = AppState::new(db.clone(), Config::default())
        .await
        .map_err(|e| e.to_string())?;
    let user = bench_user();
    let (seconds, job) =
        import(&state, &user, app::import::ImportKind::Customers, &csv_path).await?;
    report.push_str(&format!(
        "import: {seconds:.1} s, {:.0} rows/s, {:.2}× the plain script; created {}, updated {}, unchanged {}, rejected {}; peak memory {}\n",
        args.customers as f64 / seconds,
        seconds / plain,
        job.created,
        job.updated,
        job.unchanged,
        job.rejected,
        crate::telemetry::peak_memory()
    ));
    let (again, job) = import(&state, &user, app::import::ImportKind::Customers, &csv_path).await?;
    report.push_str(&format!(
        "the same file again: {again:.1} s; created {}, updated {}, unchanged {}\n",
        job.created, job.updated, job.unchanged
    ));

    events(&state, &user, args, report).await
}

fn bench_user() -> CurrentUser {
    CurrentUser {
        id: String::new(),
        email: "bench".into(),
        display_name: "Bench".into(),
        role: Role::Admin,
        permissions: vec![Permission::CustomersImport],
    }
}

/// The events import of `args.events` events over the imported customers, added to `report`.
async fn events(
    state: &AppState,
    user: &CurrentUser,
    args: &BenchImportArgs,
    mut report: String,
) -> Result<String, String> {
    if args.events == 0 {
        return Ok(report);
    }
    let events_path = args
        .dir
        .join(format!("events-{}-{}.ndjson", args.events, args.customers));
    if !events_path.exists() {
        let started = Instant::now();
        write_events(&events_path, args.events, args.customers)?;
        report.push_str(&format!(
            "events file written in {:.1} s\n",
            started.elapsed().as_secs_f64()
        ));
    }
    let (seconds, job) = import(state, user, app::import::ImportKind::Events, &events_path).await?;
    let own = job
        .finished_at
        .zip(job.started_at)
        .map(|(end, start)| (end - start) as f64 / 1000.0)
        .unwrap_or(seconds);
    report.push_str(&format!(
        "events import ({} MB): {own:.1} s, {:.0} events/s ({seconds:.1} s with the analytics refresh after it); stored {}, unchanged {}, rejected {}; peak memory {}\n",
        file_mb(&events_path),
        args.events as f64 / own,
        job.created,
        job.unchanged,
        job.rejected,
        crate::telemetry::peak_memory()
    ));
    Ok(report)
}

fn file_mb(path: &Path) -> u64 {
    std::fs::metadata(path)
        .map(|m| m.len() / 1_000_000)
        .unwrap_or(0)
}

fn customer_row(n: u64) -> [String; 9] {
    [
        format!("CRM-{n:08}"),
        format!("customer{n}@example.com"),
        format!("+4477{:08}", n),
        FIRST[(n % 8) as usize].into(),
        LAST[(n / 8 % 8) as usize].into(),
        format!("19{:02}-{:02}-{:02}", 40 + n % 60, 1 + n % 12, 1 + n % 28),
        CITIES[(n % 4) as usize].into(),
        format!("LS{} {}AB", n % 30, n % 9),
        (if n.is_multiple_of(3) { "yes" } else { "no" }).into(),
    ]
}

fn write_customers(path: &Path, customers: u64) -> Result<(), String> {
    let mut writer = csv::Writer::from_path(path).map_err(|e| e.to_string())?;
    writer
        .write_record([
            "Customer Number",
            "Email",
            "Mobile",
            "First name",
            "Surname",
            "Date of birth",
            "City",
            "Postcode",
            "Accepts marketing",
        ])
        .map_err(|e| e.to_string())?;
    for n in 0..customers {
        writer
            .write_record(customer_row(n))
            .map_err(|e| e.to_string())?;
    }
    writer.flush().map_err(|e| e.to_string())
}

fn write_events(path: &Path, events: u64, customers: u64) -> Result<(), String> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| e.to_string())?);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for n in 0..events {
        let customer = format!("CRM-{:08}", rng.gen_range(0..customers));
        let mut event = crate::bench_ingest::mixed_event(&mut rng, format!("hist-{n}"), &customer);
        // A CRM's history names no till or catalogue item this console knows.
        if let Some(object) = event.as_object_mut() {
            object.remove("store_id");
        }
        if let Some(payload) = event.get_mut("payload").and_then(|p| p.as_object_mut()) {
            payload.remove("items");
        }
        serde_json::to_writer(&mut out, &event).map_err(|e| e.to_string())?;
        out.write_all(b"\n").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// The script a developer would write: read the CSV, insert customers and their identifiers
/// 2,000 a transaction, nothing checked.
async fn plain_insert(db: &Db, path: &Path) -> Result<(), String> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| e.to_string())?;
    let status: String =
        sqlx::query_scalar("SELECT id FROM status_types ORDER BY sort_order LIMIT 1")
            .fetch_one(db.pool())
            .await
            .map_err(|e| e.to_string())?;
    let now = app::time::now_millis();
    let mut batch = Vec::with_capacity(2_000);
    let mut records = reader.records();
    loop {
        let record = records.next().transpose().map_err(|e| e.to_string())?;
        if let Some(r) = &record {
            let cell = |i: usize| Some(r.get(i).unwrap_or_default().to_string());
            let contact = Contact {
                external_id: cell(0),
                email: cell(1),
                phone: cell(2),
                first_name: cell(3),
                last_name: cell(4),
                date_of_birth: cell(5),
                city: cell(6),
                postal_code: cell(7),
                ..Contact::default()
            };
            let opt_in = r.get(8) == Some("yes");
            batch.push(NewCustomer::joining(
                contact,
                status.clone(),
                false,
                (opt_in, false, false),
                now,
            ));
        }
        if batch.len() == 2_000 || (record.is_none() && !batch.is_empty()) {
            let mut tx = db.begin_write().await.map_err(|e| e.to_string())?;
            app::customers::db::insert_many(&mut tx, &batch, "import", false)
                .await
                .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())?;
            batch.clear();
        }
        if record.is_none() {
            return Ok(());
        }
    }
}

/// Removes what the plain script wrote.
async fn clear(db: &Db) -> Result<(), String> {
    for table in ["identifier_owners", "customer_identifiers", "customers"] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(db.pool())
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

async fn import(
    state: &AppState,
    user: &CurrentUser,
    kind: app::import::ImportKind,
    path: &Path,
) -> Result<(f64, app::import::ImportJob), String> {
    let started = Instant::now();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let job = app::import::service::create(state, user, kind, &name, &path.to_string_lossy())
        .await
        .map_err(|e| e.to_string())?;
    app::import::service::start(state, &job.id, false, false)
        .await
        .map_err(|e| e.to_string())?;
    let job = app::import::service::run(state, user, &job.id, &mut |_| {})
        .await
        .map_err(|e| e.to_string())?;
    Ok((started.elapsed().as_secs_f64(), job))
}
