//! `customer-profiles bench-http`: events/s into a running server through each way in, side
//! by side: raw `POST /api/v1/events` with hand-built JSON and a secret key, the typed Rust
//! client, and the two requests the JavaScript SDK makes with a publishable key (JSON with
//! `X-Api-Key` and `Origin`, and the `sendBeacon` form: `?key=` with `text/plain`), so that
//! what the key checks, CORS and the client add is measured against the same ingest; then
//! Shopify orders one per request ([`crate::bench_webhook`]).

use crate::bench_ingest::mixed_event;
use app::api_keys::BrowserLimits;
use app::store::Db;
use clap::Args;
use customer_profiles_client::{Client, EventIn, IngestReport};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use std::time::{Duration, Instant};

/// Options of `bench-http`.
#[derive(Debug, Args)]
pub struct BenchHttpArgs {
    /// Customers to seed (without history) when the database is empty.
    #[arg(long, default_value_t = 20_000)]
    pub customers: u64,
    /// Batches of 1,000 events per way in.
    #[arg(long, default_value_t = 20)]
    pub batches: usize,
    /// Orders sent one per request through the Shopify webhook (and as raw requests).
    #[arg(long, default_value_t = 1_000)]
    pub orders: usize,
}

const BATCH: usize = 1_000;
const ORIGIN: &str = "https://shop.example";

/// One way into the ingest API.
#[derive(Clone, Copy)]
enum Path {
    Raw,
    Client,
    SdkFetch,
    SdkBeacon,
}

impl Path {
    fn label(self) -> &'static str {
        match self {
            Self::Raw => "raw POST, secret key, hand-built JSON",
            Self::Client => "Rust client (typed EventIn), secret key",
            Self::SdkFetch => "SDK fetch: publishable key, Origin, CORS",
            Self::SdkBeacon => "SDK beacon: ?key=, text/plain, Origin",
        }
    }
}

/// Runs the benchmark against a server started here on a free loopback port.
pub async fn run(db: &Db, args: &BenchHttpArgs) -> Result<String, String> {
    let (mut report, customers) =
        crate::bench_ingest::customers_to_send_for(db, args.customers).await?;
    if customers.is_empty() {
        return Err("no customers with an external id to send events for".into());
    }
    let now = app::time::now_millis();
    let secret = app::api_keys::db::create(db.pool(), "bench-http", None, now)
        .await
        .map_err(|e| e.to_string())?
        .key;
    let registry = app::events::db::registry(db)
        .await
        .map_err(|e| e.to_string())?;
    let limits = BrowserLimits {
        event_types: registry
            .into_iter()
            .filter(|t| t.ingestible)
            .map(|t| t.name)
            .collect(),
        origins: vec![ORIGIN.into()],
        per_minute: 100_000,
    };
    let publishable =
        app::api_keys::db::create_publishable(db.pool(), "bench-http web", &limits, None, now)
            .await
            .map_err(|e| e.to_string())?
            .key;
    let server = crate::startup::Application::build(
        db.clone(),
        app::state::Config::default(),
        "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
    )
    .await
    .map_err(|e| e.to_string())?;
    let base = format!("http://{}", server.address());
    tokio::spawn(server.run_until_stopped());

    report.push_str(&format!(
        "{:?}: {} batches of {BATCH} mixed events per way in, over {} customers, one sender\n",
        db.backend(),
        args.batches,
        customers.len()
    ));
    report.push_str(&format!(
        "{:<44} {:>9} {:>9} {:>9} {:>9}\n",
        "", "events/s", "p50 ms", "p99 ms", "max ms"
    ));
    let http = reqwest::Client::new();
    let client = Client::new(&base, &secret);
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let paths = [Path::Raw, Path::Client, Path::SdkFetch, Path::SdkBeacon];
    // Batch by batch, each way in takes a turn, so none meets a bigger table than the others.
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); paths.len()];
    for batch in 0..args.batches {
        for (n, path) in paths.into_iter().enumerate() {
            let events: Vec<Value> = (0..BATCH)
                .map(|i| {
                    let customer = &customers[rng.gen_range(0..customers.len())];
                    mixed_event(&mut rng, format!("http-{now}-{n}-{batch}-{i}"), customer)
                })
                .collect();
            let typed: Vec<EventIn> = match path {
                Path::Client => events
                    .iter()
                    .cloned()
                    .map(serde_json::from_value)
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("an event is not an EventIn: {e}"))?,
                _ => Vec::new(),
            };
            let sent = Instant::now();
            let answer = match path {
                Path::Client => client.send(&typed).await.map_err(|e| e.to_string())?,
                _ => post(&http, &base, path, &secret, &publishable, &events).await?,
            };
            times[n].push(sent.elapsed());
            // A publishable key is answered `received` (it may not learn what was stored).
            if answer.accepted + answer.received != BATCH {
                return Err(format!(
                    "{}: {} of {BATCH} accepted; first result {:?}",
                    path.label(),
                    answer.accepted,
                    answer.results.iter().find(|r| !matches!(
                        r.outcome,
                        customer_profiles_client::Outcome::Accepted { .. }
                            | customer_profiles_client::Outcome::Received {}
                    ))
                ));
            }
        }
    }
    for (path, times) in paths.into_iter().zip(times.iter_mut()) {
        let total: Duration = times.iter().sum();
        report.push_str(&rate_line(path.label(), args.batches * BATCH, total, times));
    }
    report.push_str(
        &crate::bench_webhook::one_order_per_request(db, &base, &secret, args.orders).await?,
    );
    Ok(report)
}

async fn post(
    http: &reqwest::Client,
    base: &str,
    path: Path,
    secret: &str,
    publishable: &str,
    events: &[Value],
) -> Result<IngestReport, String> {
    let body = serde_json::json!({ "events": events }).to_string();
    let url = format!("{base}/api/v1/events");
    let request = match path {
        Path::SdkBeacon => http
            .post(format!("{url}?key={publishable}"))
            .header("origin", ORIGIN)
            .header("content-type", "text/plain;charset=UTF-8"),
        Path::SdkFetch => http
            .post(&url)
            .header("origin", ORIGIN)
            .header("x-api-key", publishable)
            .header("content-type", "application/json"),
        _ => http
            .post(&url)
            .header("x-api-key", secret)
            .header("content-type", "application/json"),
    };
    let response = request.body(body).send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let text = response.text().await.map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|_| format!("{}: {status} {text}", path.label()))
}

/// A result line: the name, events/s, then p50, p99 and max of `times`.
pub fn rate_line(name: &str, events: usize, total: Duration, times: &mut [Duration]) -> String {
    let line = crate::bench::line(name, times);
    let (label, numbers) = line.split_at(44.min(line.len()));
    format!(
        "{label} {:>9.0}{numbers}",
        events as f64 / total.as_secs_f64()
    )
}
