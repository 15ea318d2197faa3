//! The Shopify part of `bench-http`: orders one per request, as Shopify delivers them — the
//! signed `orders/paid` webhook (Shopify's example order, a new order id each time) beside the
//! same purchase and points posted as one raw `POST /api/v1/events` request, taking turns, so
//! that what the adapter adds (signature, delivery log, customer match) is measured against
//! the same ingest.

use app::shopify::{order, signature, UnknownCustomers};
use app::store::Db;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const SECRET: &str = "shpss_bench_0123456789abcdef";
const EXAMPLE: &str = include_str!("../../app/src/shopify/examples/orders_create.json");
/// Shopify customers the orders come from (each added by its first, untimed, order).
const BUYERS: usize = 200;

/// Times `orders` orders each way into the server at `base` (secret ingest key `key`).
pub async fn one_order_per_request(
    db: &Db,
    base: &str,
    key: &str,
    orders: usize,
) -> Result<String, String> {
    let mut tx = db.begin_write().await.map_err(|e| e.to_string())?;
    app::shopify::db::save_settings(&mut tx, Some(SECRET), UnknownCustomers::Create, 1)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    let http = reqwest::Client::new();
    let run = app::time::now_millis();
    // First orders add the buyers as customers (not timed).
    for buyer in 0..BUYERS {
        webhook(&http, base, &example(run, buyer, buyer)).await?;
    }
    let mut times = [Vec::new(), Vec::new()];
    for n in 0..orders {
        let order = example(run, BUYERS + n, n % BUYERS);
        let sent = Instant::now();
        webhook(&http, base, &order).await?;
        times[0].push(sent.elapsed());
        let sent = Instant::now();
        raw(&http, base, key, &order).await?;
        times[1].push(sent.elapsed());
    }
    let mut report = format!(
        "\n{orders} orders one per request (purchase + points: 2 events each), {BUYERS} buyers\n{:<44} {:>9} {:>9} {:>9} {:>9}\n",
        "", "events/s", "p50 ms", "p99 ms", "max ms"
    );
    let labels = [
        "Shopify orders/paid webhook (signed)",
        "raw POST of the same 2 events, secret key",
    ];
    for (label, times) in labels.into_iter().zip(times.iter_mut()) {
        let total: Duration = times.iter().sum();
        report.push_str(&super::bench_http::rate_line(
            label,
            orders * 2,
            total,
            times,
        ));
    }
    Ok(report)
}

/// Shopify's example order, paid, as order `id` of buyer `buyer`.
fn example(run: i64, id: usize, buyer: usize) -> Value {
    let mut order: Value = serde_json::from_str(EXAMPLE).unwrap_or_default();
    let email = format!("bench-{run}-{buyer}@shop.example");
    order["id"] = json!(format!("{run}{id:07}"));
    order["financial_status"] = json!("paid");
    order["email"] = json!(email);
    order["contact_email"] = json!(email);
    order["customer"]["id"] = json!(format!("{run}{buyer:05}"));
    order["customer"]["email"] = json!(email);
    order
}

async fn webhook(http: &reqwest::Client, base: &str, order: &Value) -> Result<(), String> {
    let body = order.to_string();
    let response = http
        .post(format!("{base}{}", app::shopify::WEBHOOK_PATH))
        .header("content-type", "application/json")
        .header("x-shopify-topic", "orders/paid")
        .header("x-shopify-webhook-id", uuid::Uuid::now_v7().to_string())
        .header(signature::HEADER, signature::sign(SECRET, body.as_bytes()))
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let answer: Value = response.json().await.map_err(|e| e.to_string())?;
    match answer["outcome"].as_str() {
        Some("recorded") => Ok(()),
        _ => Err(format!("the webhook answered {answer}")),
    }
}

/// The order's purchase and points as the adapter makes them, posted raw for the customer
/// holding the buyer's Shopify id.
async fn raw(http: &reqwest::Client, base: &str, key: &str, order: &Value) -> Result<(), String> {
    let mut read = order::Order::read(order)?;
    read.id = format!("raw-{}", read.id);
    let shopify_id = read.buyer.shopify_id.clone().unwrap_or_default();
    let customer = json!({"external_id": order::external_id(&shopify_id)});
    let mut events = vec![json!(read.purchase(""))];
    events.extend(read.points("", 1).map(|e| json!(e)));
    for event in &mut events {
        event["customer"] = customer.clone();
    }
    let response = http
        .post(format!("{base}/api/v1/events"))
        .header("x-api-key", key)
        .json(&json!({ "events": events }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let answer: Value = response.json().await.map_err(|e| e.to_string())?;
    match answer["accepted"].as_u64() {
        Some(2) => Ok(()),
        _ => Err(format!("the raw request was answered {answer}")),
    }
}
