//! The Shopify adapter over HTTP on both databases, with Shopify's documented example
//! payloads signed as Shopify signs them: the settings' checks, a bad signature, a replay, an
//! unpaid order waiting for `orders/paid`, the purchase with its points and a new customer,
//! the refund taking the refunded share back, an unknown customer refused by the setting, a
//! known email matched (and the Shopify id kept), and a refund of points already spent.

#![allow(clippy::unwrap_used)]

use crate::common;
use crate::common::console::{spawn, Console};
use app::shopify::signature;
use app::store::Db;
use serde_json::{json, Value};

const SECRET: &str = "shpss_test_0123456789abcdef";
const ORDER: &str = include_str!("../../../app/src/shopify/examples/orders_create.json");
const REFUND: &str = include_str!("../../../app/src/shopify/examples/refunds_create.json");
const SHOPIFY_CUSTOMER: &str = "shopify:115310627314723954";

/// Posts `body` as Shopify delivers `topic` with webhook id `id`, signed with `secret`:
/// (status, answer).
async fn deliver(base: &str, topic: &str, id: &str, body: &str, secret: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}{}", app::shopify::WEBHOOK_PATH))
        .header("content-type", "application/json")
        .header("x-shopify-topic", topic)
        .header("x-shopify-webhook-id", id)
        .header("x-shopify-shop-domain", "jsmith.myshopify.com")
        .header(signature::HEADER, signature::sign(secret, body.as_bytes()))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The example order, paid.
fn paid_order() -> String {
    let mut order: Value = serde_json::from_str(ORDER).unwrap();
    order["financial_status"] = json!("paid");
    order.to_string()
}

async fn save(admin: &Console, form: &[(&str, &str)]) -> (u16, Value) {
    let answer = admin.call(app::shopify::save_shopify_settings, form).await;
    (answer.status().as_u16(), answer.json().await.unwrap())
}

/// A console over `db` (`label`, seeded with `customers`) whose Shopify connection is saved
/// with `unknown_customers` ("create" or "refuse"): its address and the admin who saved it.
async fn connected(
    db: &Db,
    label: &str,
    customers: u64,
    unknown_customers: &str,
) -> (String, Console) {
    common::seed(db, customers).await;
    let base = spawn(db.clone(), Default::default()).await;
    let admin = Console::signed_in(&base, "admin@demo.test").await;
    let form = [
        ("form[secret]", SECRET),
        ("form[unknown_customers]", unknown_customers),
        ("form[points_per_unit]", "1"),
    ];
    let (status, saved) = save(&admin, &form).await;
    assert_eq!(status, 200, "{label}: {saved}");
    (base, admin)
}

/// (points balance, purchase count, net spend in USD, test persona) of customer `id`.
async fn projections(db: &Db, id: &str) -> (i64, i64, i64, i64) {
    let (points, purchases, test): (i64, i64, i64) = sqlx::query_as(
        "SELECT points_balance, purchase_count, is_test FROM customers WHERE id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let usd = spend(db, id, "USD")
        .await
        .map_or(0, |t| t.spent - t.refunded);
    (points, purchases, usd, test)
}

/// Customer `id`'s totals in `currency`, if they bought in it.
async fn spend(db: &Db, id: &str, currency: &str) -> Option<app::money::CurrencyTotal> {
    app::customers::db::spend_by_currency(db, id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.currency == currency)
}

#[tokio::test]
async fn the_documented_order_and_refund_become_a_purchase_points_and_a_refund() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        common::seed(&db, 2).await;
        let base = spawn(db.clone(), Default::default()).await;
        let (status, _) = deliver(&base, "orders/paid", "w0", ORDER, SECRET).await;
        assert_eq!(status, 503, "{label}: no secret set yet");

        let admin = Console::signed_in(&base, "admin@demo.test").await;
        let field = |answer: &Value| answer["Validation"]["field"].as_str().map(str::to_string);
        let (status, answer) = save(&admin, &[("form[secret]", "short")]).await;
        assert_eq!(
            (status, field(&answer).as_deref()),
            (422, Some("secret")),
            "{label}"
        );
        let form = [
            ("form[secret]", SECRET),
            ("form[unknown_customers]", "create"),
            ("form[points_per_unit]", "1.5"),
        ];
        let (status, answer) = save(&admin, &form).await;
        assert_eq!(
            (status, field(&answer).as_deref()),
            (422, Some("points_per_unit")),
            "{label}"
        );
        let agent = Console::signed_in(&base, "agent@demo.test").await;
        let refused = agent
            .call(
                app::shopify::save_shopify_settings,
                &[("form[secret]", SECRET), ("form[points_per_unit]", "1")],
            )
            .await;
        assert_eq!(refused.status(), 403, "{label}");
        let form = [
            ("form[secret]", SECRET),
            ("form[unknown_customers]", "create"),
            ("form[points_per_unit]", "1"),
        ];
        let (status, saved) = save(&admin, &form).await;
        assert_eq!(status, 200, "{label}: {saved}");
        assert_eq!(
            saved["secret_hint"], "cdef",
            "{label}: the secret is never sent back"
        );

        // Shopify's example order is voided: orders/create waits for orders/paid.
        let (status, answer) = deliver(&base, "orders/create", "w1", ORDER, SECRET).await;
        assert_eq!(
            (status, answer["outcome"].as_str()),
            (200, Some("ignored")),
            "{label}: {answer}"
        );
        let (status, _) = deliver(
            &base,
            "orders/paid",
            "w-bad",
            &paid_order(),
            "another secret x",
        )
        .await;
        assert_eq!(status, 401, "{label}: a wrong signature");
        let settings: Value = admin
            .call(app::shopify::get_shopify_settings, &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(
            settings["last_bad_signature_at"].is_i64(),
            "{label}: {settings}"
        );

        let (status, answer) = deliver(&base, "orders/paid", "w2", &paid_order(), SECRET).await;
        assert_eq!(
            (status, answer["outcome"].as_str()),
            (200, Some("recorded")),
            "{label}: {answer}"
        );
        let detail = answer["detail"].as_str().unwrap();
        assert!(
            detail.contains("404.95 USD") && detail.contains("+404 points"),
            "{label}: {detail}"
        );
        assert!(detail.contains("customer added"), "{label}: {detail}");
        let customer = app::identity::db::owner(&db, "external_id", SHOPIFY_CUSTOMER)
            .await
            .unwrap()
            .expect("the new customer holds the Shopify id");
        let by_email = app::identity::db::owner(&db, "email", "john@example.com")
            .await
            .unwrap();
        assert_eq!(by_email.as_deref(), Some(customer.as_str()), "{label}");
        assert_eq!(
            projections(&db, &customer).await,
            (404, 1, 40495, 1),
            "{label}: a test order makes a test persona"
        );

        // The same delivery again, and the order's other topic: nothing more.
        let (status, answer) = deliver(&base, "orders/paid", "w2", &paid_order(), SECRET).await;
        assert_eq!(
            (status, answer["outcome"].as_str()),
            (200, Some("replay")),
            "{label}"
        );
        let (_, answer) = deliver(&base, "orders/create", "w3", &paid_order(), SECRET).await;
        assert_eq!(answer["outcome"], "already recorded", "{label}: {answer}");
        assert_eq!(
            projections(&db, &customer).await,
            (404, 1, 40495, 1),
            "{label}"
        );

        let (status, answer) = deliver(&base, "refunds/create", "w4", REFUND, SECRET).await;
        assert_eq!(
            (status, answer["outcome"].as_str()),
            (200, Some("recorded")),
            "{label}: {answer}"
        );
        assert!(
            answer["detail"].as_str().unwrap().contains("89 points"),
            "{label}: {answer}"
        );
        // 89.99 of 404.95 refunded: 89 of the 404 points go back, the spend goes down.
        assert_eq!(
            projections(&db, &customer).await,
            (315, 1, 31496, 1),
            "{label}"
        );
        let (_, answer) = deliver(&base, "refunds/create", "w5", REFUND, SECRET).await;
        assert_eq!(
            answer["outcome"], "already recorded",
            "{label}: a refund counts once"
        );
        // Refunds are checked against their order: one in another currency without the
        // shop's money is refused, one larger than what is left is capped at it (and its
        // points at what the order earned), and a refund of a fully refunded order changes
        // nothing.
        let mut in_yen: Value = serde_json::from_str(REFUND).unwrap();
        in_yen["id"] = json!(9001);
        in_yen["transactions"][0]["currency"] = json!("JPY");
        in_yen["transactions"][0]["amount"] = json!("15000");
        for line in in_yen["refund_line_items"].as_array_mut().unwrap() {
            line.as_object_mut().unwrap().remove("subtotal_set");
        }
        let (_, answer) = deliver(&base, "refunds/create", "w7", &in_yen.to_string(), SECRET).await;
        assert_eq!(answer["outcome"], "refused", "{label}: {answer}");
        let mut too_much: Value = serde_json::from_str(REFUND).unwrap();
        too_much["id"] = json!(9002);
        too_much["transactions"][0]["amount"] = json!("99000.00");
        let (_, answer) =
            deliver(&base, "refunds/create", "w8", &too_much.to_string(), SECRET).await;
        assert_eq!(answer["outcome"], "recorded", "{label}: {answer}");
        assert!(
            answer["detail"].as_str().unwrap().contains("314.96 USD"),
            "{label}: {answer}"
        );
        // 404 points earned, 89 + 314 back (each share rounded down); no spend left.
        assert_eq!(projections(&db, &customer).await, (1, 1, 0, 1), "{label}");
        too_much["id"] = json!(9003);
        let (_, answer) =
            deliver(&base, "refunds/create", "w9", &too_much.to_string(), SECRET).await;
        assert_eq!(answer["outcome"], "ignored", "{label}: {answer}");
        assert_eq!(projections(&db, &customer).await, (1, 1, 0, 1), "{label}");

        let (_, answer) = deliver(&base, "products/update", "w6", "{}", SECRET).await;
        assert_eq!(answer["outcome"], "ignored", "{label}");

        // The delivery log's rows naming the customer are part of their GDPR export.
        let privacy = Console::signed_in(&base, "privacy@demo.test").await;
        let export = privacy
            .post(&format!("/api/v1/customers/{customer}/privacy/export"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            export
                .lines()
                .any(|l| l.starts_with("shopify_deliveries,") && l.contains("w4")),
            "{label}: {export}"
        );

        let log: Value = admin
            .call(app::shopify::list_shopify_deliveries, &[])
            .await
            .json()
            .await
            .unwrap();
        let log = log.as_array().unwrap();
        let row = |id: &str| log.iter().find(|d| d["webhook_id"] == id).cloned().unwrap();
        assert_eq!(row("w2")["replays"], 1, "{label}");
        assert_eq!(row("w2")["customer_id"], customer.as_str(), "{label}");
        assert_eq!(row("w4")["outcome"], "recorded", "{label}");
        assert!(
            log.iter().all(|d| !d.to_string().contains("example.com")),
            "{label}: no personal data in the log"
        );
        assert!(
            log.iter().all(|d| d["webhook_id"] != "w-bad"),
            "{label}: forged deliveries write no rows"
        );
        let denied = agent.call(app::shopify::list_shopify_deliveries, &[]).await;
        assert_eq!(denied.status(), 403, "{label}");
    }
}

#[tokio::test]
async fn unknown_customers_are_refused_by_the_setting_and_a_known_email_is_matched() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let (base, admin) = connected(&db, label, 2, "refuse").await;
        let (status, answer) = deliver(&base, "orders/paid", "r1", &paid_order(), SECRET).await;
        assert_eq!(
            (status, answer["outcome"].as_str()),
            (200, Some("refused")),
            "{label}: {answer}"
        );
        assert_eq!(
            app::identity::db::owner(&db, "email", "john@example.com")
                .await
                .unwrap(),
            None
        );
        // A refund of an order never recorded here changes nothing.
        let (_, answer) = deliver(&base, "refunds/create", "r2", REFUND, SECRET).await;
        assert_eq!(answer["outcome"], "ignored", "{label}: {answer}");

        let form = [
            ("form[first_name]", "Jon"),
            ("form[last_name]", "Example"),
            ("form[email]", "JON@example.com"),
            ("form[external_id]", "crm-jon"),
            ("form[status_id]", "active"),
        ];
        let customer = common::add_customer_from(&db, &admin, &form).await;
        // Shopify's example is a test order: for a real customer it counts for nothing.
        let (_, answer) = deliver(&base, "orders/paid", "r3t", &paid_order(), SECRET).await;
        assert_eq!(answer["outcome"], "ignored", "{label}: {answer}");
        let mut live: Value = serde_json::from_str(&paid_order()).unwrap();
        live["test"] = json!(false);
        let (_, answer) = deliver(&base, "orders/paid", "r3", &live.to_string(), SECRET).await;
        assert_eq!(answer["outcome"], "recorded", "{label}: {answer}");
        assert!(
            !answer["detail"]
                .as_str()
                .unwrap()
                .contains("customer added"),
            "{label}"
        );
        let by_shopify_id = app::identity::db::owner(&db, "external_id", SHOPIFY_CUSTOMER)
            .await
            .unwrap();
        assert_eq!(
            by_shopify_id.as_deref(),
            Some(customer.as_str()),
            "{label}: the Shopify id is kept"
        );
        assert_eq!(
            projections(&db, &customer).await,
            (404, 1, 40495, 0),
            "{label}"
        );

        // The points were spent before the refund: it takes back what is left, never below 0.
        let spend = app::ingest::model::EventIn::new(
            "points_used",
            app::ingest::model::CustomerRef::Id(customer.clone()),
            json!({"points": 350}),
        );
        let state = common::state_of(&db).await;
        let app_user = app::auth::CurrentUser::system("mobile-app", "Mobile app");
        let now = app::time::now_millis();
        let report = app::ingest::service::ingest(&state, &app_user, vec![json!(spend)], now, None)
            .await
            .unwrap();
        assert_eq!(report.accepted, 1, "{label}");
        let (_, answer) = deliver(&base, "refunds/create", "r4", REFUND, SECRET).await;
        assert_eq!(answer["outcome"], "recorded", "{label}: {answer}");
        assert_eq!(
            projections(&db, &customer).await,
            (0, 1, 31496, 0),
            "{label}"
        );
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT points_delta FROM events WHERE customer_id = $1 AND event_type = 'refund'",
        )
        .bind(&customer)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            taken,
            Some(-54),
            "{label}: the refund records the 54 points it took back"
        );
    }
}

#[tokio::test]
async fn a_buyer_name_with_nul_and_control_characters_is_stored_clean() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let (base, _) = connected(&db, label, 1, "create").await;
        let mut order: Value = serde_json::from_str(&paid_order()).unwrap();
        order["customer"]["first_name"] = json!("Jo\u{0}hn\u{7}");
        order["customer"]["last_name"] = json!("\u{1b}[31mSmith\u{0}");
        order["customer"]["email"] = json!("nul.buyer@shop.test");
        order["email"] = json!("nul.buyer@shop.test");
        let (status, answer) =
            deliver(&base, "orders/paid", "nul-1", &order.to_string(), SECRET).await;
        assert_eq!(
            (status, answer["outcome"].as_str()),
            (200, Some("recorded")),
            "{label}: {answer}"
        );
        let name: (String, String) = sqlx::query_as(
            "SELECT first_name, last_name FROM customers WHERE email = 'nul.buyer@shop.test'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            name,
            ("John".to_string(), "[31mSmith".to_string()),
            "{label}"
        );
    }
}

const AUD_ORDER: &str = include_str!("../fixtures/shopify/aud-shop-paid-in-usd.order.json");
const AUD_REFUND: &str = include_str!("../fixtures/shopify/aud-shop-paid-in-usd.refund.json");
const JPY_ORDER: &str = include_str!("../fixtures/shopify/jpy-shop.order.json");

#[tokio::test]
async fn real_shops_orders_are_kept_in_shop_money_and_refunded_in_the_purchases_currency() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let (base, admin) = connected(&db, label, 2, "create").await;

        // An AUD shop's order paid in USD: the purchase is the shop's 60.33 AUD, the buyer's
        // 45.85 USD kept beside it; 60 points (one per dollar of the shop's currency).
        let (_, answer) = deliver(&base, "orders/paid", "m1", AUD_ORDER, SECRET).await;
        assert_eq!(answer["outcome"], "recorded", "{label}: {answer}");
        assert!(
            answer["detail"].as_str().unwrap().contains("60.33 AUD"),
            "{label}: {answer}"
        );
        let buyer = app::identity::db::owner(&db, "external_id", "shopify:4206822293653")
            .await
            .unwrap()
            .expect("the buyer was added");
        let payload: String = sqlx::query_scalar(
            "SELECT payload FROM events WHERE customer_id = $1 AND event_type = 'purchase'",
        )
        .bind(&buyer)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let payload: Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(
            (
                &payload["presentment_amount_cents"],
                &payload["presentment_currency"]
            ),
            (&json!(4585), &json!("USD")),
            "{label}"
        );
        // Refunded 38.14 USD by the buyer's card: 50.18 AUD of the shop's money, and the
        // same share (50.18 of 60.33) of the 60 points: 49.
        let (_, answer) = deliver(&base, "refunds/create", "m2", AUD_REFUND, SECRET).await;
        assert_eq!(answer["outcome"], "recorded", "{label}: {answer}");
        let detail = answer["detail"].as_str().unwrap();
        assert!(
            detail.contains("50.18 AUD") && detail.contains("49 points"),
            "{label}: {detail}"
        );
        let aud = spend(&db, &buyer, "AUD").await.unwrap();
        assert_eq!(
            (aud.purchases, aud.spent, aud.refunded),
            (1, 6033, 5018),
            "{label}"
        );
        assert!(
            spend(&db, &buyer, "USD").await.is_none(),
            "{label}: nothing in USD"
        );

        // The same refund converted at the order's own rate when the lines give no shop money.
        let mut presentment_only: Value = serde_json::from_str(AUD_REFUND).unwrap();
        presentment_only["id"] = json!(790_123_456_790_i64);
        presentment_only["transactions"][0]["amount"] = json!("4.57");
        for line in presentment_only["refund_line_items"]
            .as_array_mut()
            .unwrap()
        {
            let line = line.as_object_mut().unwrap();
            line.remove("subtotal_set");
            line.remove("total_tax_set");
        }
        let body = presentment_only.to_string();
        let (_, answer) = deliver(&base, "refunds/create", "m3", &body, SECRET).await;
        // 4.57 USD × 60.33 / 45.85 = 6.013 AUD; the order had 10.15 AUD left.
        assert!(
            answer["detail"].as_str().unwrap().contains("6.01 AUD"),
            "{label}: {answer}"
        );

        // A restock refund moved no money: nothing changes.
        let mut restock: Value = serde_json::from_str(AUD_REFUND).unwrap();
        restock["id"] = json!(790_123_456_791_i64);
        restock["transactions"] = json!([]);
        let body = restock.to_string();
        let (_, answer) = deliver(&base, "refunds/create", "m4", &body, SECRET).await;
        assert_eq!(answer["outcome"], "ignored", "{label}: {answer}");
        let after = spend(&db, &buyer, "AUD").await.unwrap();
        assert_eq!(
            after.refunded,
            5018 + 601,
            "{label}: the restock changed nothing"
        );

        // A JPY shop: 23,600 yen is stored as 23600 (yen have no minor unit).
        let (_, answer) = deliver(&base, "orders/paid", "m5", JPY_ORDER, SECRET).await;
        assert_eq!(answer["outcome"], "recorded", "{label}: {answer}");
        assert!(
            answer["detail"].as_str().unwrap().contains("23,600 JPY"),
            "{label}: {answer}"
        );
        let kaori = app::identity::db::owner(&db, "external_id", "shopify:5512345678901")
            .await
            .unwrap()
            .expect("the buyer was added");
        let yen = spend(&db, &kaori, "JPY").await.unwrap();
        assert_eq!(yen.spent, 23_600, "{label}");

        // A test order for a real customer counts for nothing.
        let mut test_order: Value = serde_json::from_str(JPY_ORDER).unwrap();
        test_order["id"] = json!(4_216_043_012_250_i64);
        test_order["test"] = json!(true);
        let (_, answer) =
            deliver(&base, "orders/paid", "m6", &test_order.to_string(), SECRET).await;
        assert_eq!(answer["outcome"], "ignored", "{label}: {answer}");
        assert_eq!(
            spend(&db, &kaori, "JPY").await.unwrap().purchases,
            1,
            "{label}"
        );

        // The header shows each currency apart, never summed.
        let header: Value = admin
            .call(
                app::customers::get_customer_header,
                &[("id", buyer.as_str())],
            )
            .await
            .json()
            .await
            .unwrap();
        let currencies: Vec<&str> = header["spend"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t["currency"].as_str())
            .collect();
        assert_eq!(currencies, ["AUD"], "{label}: {header}");
    }
}

#[tokio::test]
async fn a_delivery_while_the_console_moves_is_refused_unclaimed_and_taken_when_sent_again() {
    let (dbs, _guard) = common::each_database().await;
    for (label, db) in dbs {
        let (base, _) = connected(&db, label, 2, "create").await;
        common::set_maintenance(&db, true).await;
        let (status, answer) =
            deliver(&base, "orders/paid", "w-moving", &paid_order(), SECRET).await;
        assert_eq!(
            (status, &answer["error"]["code"]),
            (503, &json!("maintenance")),
            "{label}"
        );
        let claimed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM shopify_deliveries WHERE webhook_id = $1")
                .bind("w-moving")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(
            claimed, 0,
            "{label}: nothing written while the console moves"
        );
        common::set_maintenance(&db, false).await;
        let (status, answer) =
            deliver(&base, "orders/paid", "w-moving", &paid_order(), SECRET).await;
        assert_eq!(
            (status, &answer["outcome"]),
            (200, &json!("recorded")),
            "{label}: {answer}"
        );
    }
}
