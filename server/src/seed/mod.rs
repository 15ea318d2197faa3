//! `customer-profiles seed`: deterministic, realistic demo data written in batches.

pub mod data;
pub mod generate;

use app::store::Db;
use clap::Args;
use sqlx::Connection;
use std::time::Instant;

/// Options of `seed`.
#[derive(Debug, Args)]
pub struct SeedArgs {
    /// How many customers to generate.
    #[arg(long, default_value_t = 2_000)]
    pub customers: u64,
    /// Random seed: the same seed (and --as-of) gives the same data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The day the history ends, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Write customers only, no events (the search benchmark needs no history).
    #[arg(long)]
    pub without_events: bool,
    /// Pairs of profiles of one person to add per kind of likely duplicate (email, phone,
    /// name and birth date, name and postcode), as a new user of the demo finds them.
    #[arg(long, default_value_t = 0)]
    pub duplicates: u64,
}

/// Pairs of profiles of one person per kind of likely duplicate in the demo data.
const DEMO_DUPLICATES: u64 = 2;

/// Customers written per transaction.
const CHUNK: u64 = 1_000;

/// Seeds `args.customers` customers into an empty database, plus the demo platform users
/// (one per role, password [`crate::users::DEMO_PASSWORD`]), and reports what was written.
pub async fn run(db: &Db, args: &SeedArgs) -> Result<String, String> {
    let existing = app::customers::db::count(db)
        .await
        .map_err(|e| e.to_string())?;
    if existing > 0 {
        return Err(format!(
            "the database already has {existing} customers; seed into an empty database"
        ));
    }
    let as_of = args
        .as_of
        .and_then(|d| d.and_hms_opt(23, 59, 0))
        .map(|t| t.and_utc().timestamp_millis())
        .unwrap_or_else(app::time::now_millis);
    let started = Instant::now();
    let ignore_case = app::settings::db::external_ids_ignore_case(db)
        .await
        .map_err(|e| e.to_string())?;
    let (stores, products) = (data::stores(), data::products());
    let mut tx = db.begin_write().await.map_err(|e| e.to_string())?;
    app::catalog::db::insert_stores(&mut tx, &stores)
        .await
        .map_err(|e| e.to_string())?;
    app::catalog::db::insert_products(&mut tx, &products)
        .await
        .map_err(|e| e.to_string())?;
    for (id, form) in data::geofences(&stores) {
        let fence = app::geofences::checked(&form).map_err(|(_, m)| m)?;
        app::geofences::db::insert(&mut tx, &id, &fence, as_of)
            .await
            .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;

    // Generation runs on a blocking thread while the writer inserts the previous chunk.
    let (sender, mut receiver) = tokio::sync::mpsc::channel(2);
    let (seed, total) = (args.seed, args.customers);
    let generator = tokio::task::spawn_blocking(move || {
        let world = generate::World {
            seed,
            as_of,
            stores: &stores,
            products: &products,
        };
        let mut start = 0;
        while start < total {
            let end = (start + CHUNK).min(total);
            let (customers, events): (Vec<_>, Vec<_>) =
                (start..end).map(|i| generate::customer(&world, i)).unzip();
            if sender
                .blocking_send((customers, events.into_iter().flatten().collect::<Vec<_>>()))
                .is_err()
            {
                return;
            }
            start = end;
        }
    });
    let mut event_count = 0usize;
    let mut connection = db.bulk_load_connection().await.map_err(|e| e.to_string())?;
    while let Some((customers, events)) = receiver.recv().await {
        let mut tx = connection.begin().await.map_err(|e| e.to_string())?;
        let events = (!args.without_events).then_some(events.as_slice());
        write(&mut tx, &customers, events, ignore_case).await?;
        event_count += events.map_or(0, <[_]>::len);
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    generator.await.map_err(|e| e.to_string())?;
    let twins = if args.duplicates > 0 {
        let (twins, events) = write_twins(db, args, as_of, total).await?;
        event_count += events;
        twins
    } else {
        0
    };
    db.after_bulk_load().await.map_err(|e| e.to_string())?;
    let rules = app::tiers::db::rules(db).await.map_err(|e| e.to_string())?;
    app::tiers::db::backfill_expiry(db, rules.validity_ms())
        .await
        .map_err(|e| e.to_string())?;
    crate::users::create_demo_users(db).await?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(format!(
        "seeded {total} customers{} and {event_count} events in {seconds:.1} s ({:.0} events/s)",
        if twins > 0 {
            format!(" (and {twins} more in pairs of likely duplicates)")
        } else {
            String::new()
        },
        event_count as f64 / seconds.max(0.001)
    ))
}

/// Writes `customers` (their identifiers held as `ignore_case` says) and, when given, their
/// `events` and the tag counts those events make.
async fn write(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    customers: &[app::customers::NewCustomer],
    events: Option<&[app::events::NewEvent]>,
    ignore_case: bool,
) -> Result<(), String> {
    app::customers::db::insert_many(tx, customers, "import", ignore_case)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(events) = events {
        app::events::db::insert_many(tx, events)
            .await
            .map_err(|e| e.to_string())?;
        app::tags::db::add_counts(tx, &app::tags::counts::counts_of(events))
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Writes the pairs of [`generate::twins`]: (how many customers, the events they brought).
async fn write_twins(
    db: &Db,
    args: &SeedArgs,
    as_of: i64,
    total: u64,
) -> Result<(usize, usize), String> {
    let (stores, products) = (data::stores(), data::products());
    let world = generate::World {
        seed: args.seed,
        as_of,
        stores: &stores,
        products: &products,
    };
    let (customers, events): (Vec<_>, Vec<_>) = generate::twins(&world, total, args.duplicates)
        .into_iter()
        .unzip();
    let events: Vec<_> = events.into_iter().flatten().collect();
    let mut tx = db.begin_write().await.map_err(|e| e.to_string())?;
    let ignore_case = app::settings::db::external_ids_ignore_case(db)
        .await
        .map_err(|e| e.to_string())?;
    let with_events = (!args.without_events).then_some(events.as_slice());
    write(&mut tx, &customers, with_events, ignore_case).await?;
    tx.commit().await.map_err(|e| e.to_string())?;
    let written = if args.without_events { 0 } else { events.len() };
    Ok((customers.len(), written))
}

/// Seeds `customers` demo customers when the database has none (first start of the demo).
pub async fn seed_demo_if_empty(db: &Db, customers: usize) -> Result<(), String> {
    if app::customers::db::count(db)
        .await
        .map_err(|e| e.to_string())?
        > 0
    {
        // A demo database from before platform users existed still needs its demo users.
        return crate::users::create_demo_users(db).await;
    }
    let args = SeedArgs {
        customers: customers as u64,
        seed: 42,
        as_of: None,
        without_events: false,
        duplicates: DEMO_DUPLICATES,
    };
    let report = run(db, &args).await?;
    tracing::info!("demo data: {report}");
    Ok(())
}
