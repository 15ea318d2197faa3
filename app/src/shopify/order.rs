//! Shopify's order and refund payloads read into the console's events: a paid order is a
//! `purchase` (and, when the programme gives points per unit spent, a `points_earned`); a
//! refund is a `refund` that takes back the order's points in the share refunded. Money is
//! the shop's (Shopify's `shop_money`, in the currency's ISO 4217 minor units), with what the
//! buyer paid in their own currency kept beside it (`presentment_money`, Shopify Markets). A
//! refund without transactions moved no money (a restock) and changes nothing. Event ids
//! come from Shopify's ids, so `orders/create` and `orders/paid` of one order, or a delivery
//! Shopify retries, store each event once.

use crate::ingest::model::{CustomerRef, EventIn};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// Longest text copied from a payload (the ingest schema's limit for text fields).
const MAX_TEXT: usize = 200;

/// The console's external id for Shopify customer `id` (kept beside the brand's own ids).
pub fn external_id(shopify_customer_id: &str) -> String {
    format!("shopify:{shopify_customer_id}")
}

/// The `event_id` of order `order_id`'s purchase.
pub fn purchase_event_id(order_id: &str) -> String {
    format!("shopify-order-{order_id}")
}

/// The `event_id` of the points order `order_id` earned.
pub fn points_event_id(order_id: &str) -> String {
    format!("shopify-order-{order_id}-points")
}

/// Who placed an order, as the order tells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Buyer {
    /// Shopify's customer id.
    pub shopify_id: Option<String>,
    /// Email addresses to match by, the customer record's first.
    pub emails: Vec<String>,
    /// Phone numbers to match by, the customer record's first.
    pub phones: Vec<String>,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Whether they accepted the shop's marketing email.
    pub accepts_marketing: bool,
}

/// An order, as the adapter uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// Shopify's order id.
    pub id: String,
    /// The shop's order name, e.g. `#1001`.
    pub name: Option<String>,
    /// `paid`, `pending`, `voided`, …
    pub financial_status: String,
    /// When it was processed (created when not said).
    pub occurred_at: DateTime<Utc>,
    /// Its total in the shop's currency, ISO 4217 minor units.
    pub amount_cents: i64,
    /// The shop's currency (ISO 4217).
    pub currency: String,
    /// What the buyer paid in their own currency, when that is another: (minor units, code).
    pub presentment: Option<(i64, String)>,
    /// Line items in the ingest API's form.
    pub items: Vec<Value>,
    /// Where it was placed: `web`, `pos`, …
    pub channel: Option<String>,
    /// The shop location (point of sale) it was placed at.
    pub location_id: Option<String>,
    /// Who placed it.
    pub buyer: Buyer,
    /// A test order (Shopify's test mode or bogus gateway).
    pub test: bool,
}

impl Order {
    /// Reads an `orders/*` payload; what is missing or malformed otherwise.
    pub fn read(order: &Value) -> Result<Self, String> {
        let id = id_of(order.get("id")).ok_or("the order has no id")?;
        let shop = order.pointer("/total_price_set/shop_money");
        let currency = shop
            .and_then(|m| text(m, "currency_code"))
            .or_else(|| text(order, "currency"))
            .filter(|c| crate::money::is_currency(c))
            .ok_or("the order has no ISO 4217 currency")?;
        let amount_cents = shop
            .and_then(|m| m.get("amount"))
            .or_else(|| order.get("total_price"))
            .map(|amount| minor(amount, &currency))
            .ok_or("the order has no total_price")?
            .map_err(|e| format!("total_price {e}"))?;
        let presentment = money_of(order.pointer("/total_price_set/presentment_money"))
            .filter(|(_, code)| *code != currency);
        let customer = order.get("customer").filter(|c| c.is_object());
        let from_customer = |key: &str| customer.and_then(|c| text(c, key));
        let billing = order.get("billing_address");
        let from_billing = |key: &str| billing.and_then(|b| text(b, key));
        let buyer = Buyer {
            shopify_id: customer.and_then(|c| id_of(c.get("id"))),
            emails: [
                from_customer("email"),
                text(order, "email"),
                text(order, "contact_email"),
            ]
            .into_iter()
            .flatten()
            .collect(),
            phones: [from_customer("phone"), text(order, "phone")]
                .into_iter()
                .flatten()
                .collect(),
            first_name: from_customer("first_name")
                .or_else(|| from_billing("first_name"))
                .map(|name| clean(&name))
                .unwrap_or_default(),
            last_name: from_customer("last_name")
                .or_else(|| from_billing("last_name"))
                .map(|name| clean(&name))
                .unwrap_or_default(),
            accepts_marketing: order.get("buyer_accepts_marketing") == Some(&Value::Bool(true)),
        };
        let items = order
            .get("line_items")
            .and_then(Value::as_array)
            .map(|lines| {
                lines
                    .iter()
                    .filter_map(|l| line_item(l, &currency))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            name: text(order, "name").map(|n| clean(&n)),
            financial_status: text(order, "financial_status").unwrap_or_default(),
            occurred_at: time_of(order),
            amount_cents,
            currency,
            presentment,
            items,
            channel: text(order, "source_name").map(|c| clean(&c)),
            location_id: id_of(order.get("location_id")),
            buyer,
            test: order.get("test") == Some(&Value::Bool(true)),
            id,
        })
    }

    /// Whether the shop has taken the money (an `orders/create` for an unpaid order waits for
    /// `orders/paid`).
    pub fn is_paid(&self) -> bool {
        matches!(
            self.financial_status.as_str(),
            "paid" | "partially_paid" | "partially_refunded" | "refunded"
        )
    }

    /// The order's purchase event for customer `customer_id`.
    pub fn purchase(&self, customer_id: &str) -> EventIn {
        let mut payload = json!({
            "amount_cents": self.amount_cents,
            "currency": self.currency,
            "order_id": self.id,
        });
        if !self.items.is_empty() {
            payload["items"] = json!(self.items);
        }
        if let Some((amount, currency)) = &self.presentment {
            payload["presentment_amount_cents"] = json!(amount);
            payload["presentment_currency"] = json!(currency);
        }
        for (key, value) in [
            ("order_name", &self.name),
            ("channel", &self.channel),
            ("shopify_location_id", &self.location_id),
        ] {
            if let Some(value) = value {
                payload[key] = json!(value);
            }
        }
        event("purchase", customer_id, payload)
            .id(purchase_event_id(&self.id))
            .at(self.occurred_at)
    }

    /// The points the order earns at `per_unit` points per unit of its currency (a dollar, a
    /// yen; rounded down): `None` when that is none.
    pub fn points(&self, customer_id: &str, per_unit: i64) -> Option<EventIn> {
        let unit = 10_i64.pow(crate::money::decimals(&self.currency));
        let points = self.amount_cents.saturating_mul(per_unit) / unit;
        (points > 0).then(|| {
            let reason = format!("Shopify order {}", self.name.as_deref().unwrap_or(&self.id));
            event(
                "points_earned",
                customer_id,
                json!({"points": points, "reason": clean(&reason)}),
            )
            .id(points_event_id(&self.id))
            .at(self.occurred_at)
        })
    }
}

/// A refund, as the adapter uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct Refund {
    /// Shopify's refund id.
    pub id: String,
    /// The refunded order.
    pub order_id: String,
    /// When it was processed.
    pub occurred_at: DateTime<Utc>,
    /// The money returned, in minor units of `currency`: the successful refund transactions
    /// (0 when there are none: a restock that moved no money).
    pub amount_cents: i64,
    /// The transactions' currency (ISO 4217) when the payload says: the buyer's, which for a
    /// Shopify Markets order is not the shop's.
    pub currency: Option<String>,
    /// Whether any money went back (a successful refund transaction).
    pub money_moved: bool,
    /// The refunded lines with their tax in the shop's currency (Shopify's `shop_money`), when
    /// every line says: (minor units, currency).
    pub shop_money: Option<(i64, String)>,
    /// The refunded lines in the ingest API's form.
    pub items: Vec<Value>,
    /// The merchant's note.
    pub reason: Option<String>,
}

impl Refund {
    /// Reads a `refunds/create` payload; what is missing or malformed otherwise.
    pub fn read(refund: &Value) -> Result<Self, String> {
        let id = id_of(refund.get("id")).ok_or("the refund has no id")?;
        let order_id = id_of(refund.get("order_id")).ok_or("the refund has no order_id")?;
        let lines: Vec<&Value> = refund
            .get("refund_line_items")
            .and_then(Value::as_array)
            .map(|l| l.iter().collect())
            .unwrap_or_default();
        let transactions: Vec<&Value> = refund
            .get("transactions")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter(|t| text(t, "kind").as_deref() == Some("refund"))
                    .filter(|t| text(t, "status").as_deref() == Some("success"))
                    .collect()
            })
            .unwrap_or_default();
        let currency = transactions
            .iter()
            .find_map(|t| text(t, "currency"))
            .or_else(|| {
                lines.iter().find_map(|l| {
                    l.pointer("/subtotal_set/shop_money/currency_code")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
            });
        let mut amount_cents = 0;
        for transaction in &transactions {
            let amount = transaction
                .get("amount")
                .ok_or("a refund transaction has no amount")?;
            let code = text(transaction, "currency").or_else(|| currency.clone());
            amount_cents += minor(amount, code.as_deref().unwrap_or_default())
                .map_err(|e| format!("transaction amount {e}"))?;
        }
        let shop_money = shop_money_of(&lines)?;
        let items = lines
            .iter()
            .filter_map(|line| {
                let currency = line
                    .pointer("/subtotal_set/shop_money/currency_code")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let mut item = line_item(line.get("line_item")?, currency)?;
                if let Some(qty) = line
                    .get("quantity")
                    .and_then(Value::as_i64)
                    .filter(|q| *q > 0)
                {
                    item["qty"] = json!(qty);
                }
                Some(item)
            })
            .collect();
        Ok(Self {
            id,
            order_id,
            occurred_at: time_of(refund),
            amount_cents,
            currency,
            money_moved: !transactions.is_empty(),
            shop_money,
            items,
            reason: text(refund, "note").map(|n| clean(&n)),
        })
    }

    /// The id of the refund's event (Shopify's refund id: a refund delivered again is stored
    /// once).
    pub fn event_id(&self) -> String {
        format!("shopify-refund-{}", self.id)
    }

    /// The money returned in `currency`, the currency of the purchase it reverses: the
    /// refund's own amount when it is in that currency (or names none); else its lines' shop
    /// money when that is; else the buyer's amount converted at the order's own rate
    /// (`presentment`: what the buyer paid for `order_amount`, in their currency). `None` when
    /// the payload holds no amount that can be put in `currency`.
    pub fn amount_in(
        &self,
        currency: &str,
        order_amount: i64,
        presentment: Option<&(i64, String)>,
    ) -> Option<i64> {
        if self.currency.as_deref().is_none_or(|c| c == currency) {
            return Some(self.amount_cents);
        }
        if let Some((amount, _)) = self.shop_money.as_ref().filter(|(_, c)| c == currency) {
            return Some(*amount);
        }
        let (paid, paid_in) = presentment?;
        (Some(paid_in.as_str()) == self.currency.as_deref() && *paid > 0).then(|| {
            let converted = (i128::from(self.amount_cents) * i128::from(order_amount) * 2
                + i128::from(*paid))
                / (2 * i128::from(*paid));
            i64::try_from(converted).unwrap_or(i64::MAX)
        })
    }

    /// The refund event for `customer_id` in `currency`, taking back `points`.
    pub fn event(&self, customer_id: &str, currency: &str, points: i64) -> EventIn {
        let mut payload = json!({
            "order_id": self.order_id,
            "amount_cents": self.amount_cents,
            "currency": currency,
        });
        if points > 0 {
            payload["points"] = json!(points);
        }
        if !self.items.is_empty() {
            payload["items"] = json!(self.items);
        }
        if let Some(reason) = &self.reason {
            payload["reason"] = json!(reason);
        }
        event("refund", customer_id, payload)
            .id(self.event_id())
            .at(self.occurred_at)
    }
}

/// The refunded lines' subtotal and tax in shop money, when every line gives both in one
/// currency; an amount there that does not read is an error.
fn shop_money_of(lines: &[&Value]) -> Result<Option<(i64, String)>, String> {
    let mut total = 0;
    let mut currency: Option<String> = None;
    for line in lines {
        for key in ["subtotal_set", "total_tax_set"] {
            let Some(money) = line.pointer(&format!("/{key}/shop_money")) else {
                return Ok(None);
            };
            let (Some(amount), Some(code)) = (money.get("amount"), text(money, "currency_code"))
            else {
                return Ok(None);
            };
            if currency.as_ref().is_some_and(|c| *c != code) {
                return Ok(None);
            }
            total += minor(amount, &code).map_err(|e| format!("refund_line_items {key} {e}"))?;
            currency = Some(code);
        }
    }
    Ok(currency.map(|c| (total, c)))
}

/// The points a refund of `refund_cents` takes back from an order of `order_cents` that earned
/// `order_points`: the same share, rounded down, never more than the order earned.
pub fn points_to_take_back(order_points: i64, order_cents: i64, refund_cents: i64) -> i64 {
    if order_points <= 0 || order_cents <= 0 || refund_cents <= 0 {
        return 0;
    }
    let share = i128::from(order_points) * i128::from(refund_cents.min(order_cents))
        / i128::from(order_cents);
    i64::try_from(share)
        .unwrap_or(order_points)
        .min(order_points)
}

fn event(event_type: &str, customer_id: &str, payload: Value) -> EventIn {
    EventIn::new(
        event_type,
        CustomerRef::Id(customer_id.to_string()),
        payload,
    )
    .source("shopify")
}

/// A line item in the ingest API's form: the SKU (or Shopify's variant or product id when the
/// line has none), its title, quantity and unit price (minor units of the shop's `currency`). Lines of quantity 0 (removed by an
/// edit) are left out.
fn line_item(line: &Value, currency: &str) -> Option<Value> {
    let qty = line
        .get("quantity")
        .and_then(Value::as_i64)
        .filter(|q| *q > 0)?;
    let sku = text(line, "sku")
        .map(|s| clean(&s))
        .or_else(|| id_of(line.get("variant_id")).map(|v| format!("shopify-variant-{v}")))
        .or_else(|| id_of(line.get("product_id")).map(|p| format!("shopify-product-{p}")))
        .or_else(|| id_of(line.get("id")).map(|l| format!("shopify-line-{l}")))?;
    let mut item = json!({"sku": sku, "qty": qty});
    if let Some(title) = text(line, "title").or_else(|| text(line, "name")) {
        item["title"] = json!(clean(&title));
    }
    let price = line
        .pointer("/price_set/shop_money/amount")
        .or_else(|| line.get("price"));
    if let Some(Ok(price)) = price.map(|p| minor(p, currency)) {
        item["price_cents"] = json!(price);
    }
    Some(item)
}

/// Shopify's decimal amount (`"89.99"`, `89.99`, `"14319"`) in the ISO 4217 minor units of
/// `currency` (two decimals when it is not said), exactly for a string (a float's tail,
/// `89.99000000000001`, rounds to the currency's decimals); what is wrong otherwise. Amounts
/// are never negative.
pub fn minor(value: &Value, currency: &str) -> Result<i64, String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return Err("is not an amount".into()),
    };
    if text.starts_with('-') {
        return Err(format!("is not an amount: {text:?}"));
    }
    crate::money::Money::rounded(&text, currency)
        .map(|money| money.minor)
        .map_err(|e| format!("is not an amount: {e}"))
}

/// A Shopify money object (`{"amount": "50.18", "currency_code": "AUD"}`) as (minor units,
/// currency), when it reads.
fn money_of(money: Option<&Value>) -> Option<(i64, String)> {
    let money = money?;
    let code = text(money, "currency_code").filter(|c| crate::money::is_currency(c))?;
    let amount = minor(money.get("amount")?, &code).ok()?;
    Some((amount, code))
}

/// An id Shopify sends as a number (or a string): its digits.
fn id_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

fn text(object: &Value, key: &str) -> Option<String> {
    object
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `text` without control characters, at most [`MAX_TEXT`] characters (the schema's limit).
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(MAX_TEXT)
        .collect::<String>()
        .trim()
        .to_string()
}

fn time_of(payload: &Value) -> DateTime<Utc> {
    ["processed_at", "created_at"]
        .into_iter()
        .filter_map(|key| text(payload, key))
        .find_map(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(name: &str) -> Value {
        let text = match name {
            "order" => include_str!("examples/orders_create.json"),
            _ => include_str!("examples/refunds_create.json"),
        };
        serde_json::from_str(text).expect("Shopify's example is JSON")
    }

    #[test]
    fn the_documented_order_reads_as_a_purchase_with_its_line_and_buyer() {
        let order = Order::read(&example("order")).expect("reads");
        assert_eq!(order.id, "820982911946154508");
        assert_eq!(order.amount_cents, 40495);
        assert_eq!(order.currency, "USD");
        assert_eq!(order.name.as_deref(), Some("#9999"));
        assert!(!order.is_paid(), "the example is voided");
        assert_eq!(
            order.buyer.shopify_id.as_deref(),
            Some("115310627314723954")
        );
        assert_eq!(
            order.buyer.emails,
            ["john@example.com", "jon@example.com", "jon@example.com"]
        );
        assert!(order.buyer.phones.is_empty());
        assert_eq!(
            (
                order.buyer.first_name.as_str(),
                order.buyer.last_name.as_str()
            ),
            ("John", "Smith")
        );
        assert_eq!(
            order.items,
            [
                json!({"sku": "SKU2006-001", "qty": 1, "title": "Aviator sunglasses", "price_cents": 8999})
            ]
        );
        let purchase = order.purchase("c1");
        assert_eq!(purchase.event_id, "shopify-order-820982911946154508");
        assert_eq!(
            purchase.occurred_at.to_rfc3339(),
            "2022-01-01T00:00:00+00:00"
        );
        assert_eq!(purchase.payload["channel"], "web");
        let points = order.points("c1", 2).expect("809 points");
        assert_eq!(points.payload["points"], 809);
        assert_eq!(points.payload["reason"], "Shopify order #9999");
        assert!(order.points("c1", 0).is_none());
    }

    #[test]
    fn the_documented_refund_reads_with_its_transaction_amount() {
        let refund = Refund::read(&example("refund")).expect("reads");
        assert_eq!(refund.id, "890088186047892319");
        assert_eq!(refund.order_id, "820982911946154508");
        assert_eq!(refund.amount_cents, 8999);
        assert_eq!(refund.currency.as_deref(), Some("USD"));
        assert_eq!(refund.reason.as_deref(), Some("Things were damaged"));
        let event = refund.event("c1", "USD", 88);
        assert_eq!(event.event_id, "shopify-refund-890088186047892319");
        assert_eq!(event.payload["points"], 88);
        assert_eq!(event.payload["items"][0]["sku"], "SKU2006-001");
    }

    #[test]
    fn a_refund_without_transactions_moved_no_money() {
        let mut refund = example("refund");
        refund["transactions"] = json!([]);
        let read = Refund::read(&refund).expect("reads");
        assert!(!read.money_moved);
        assert_eq!(read.amount_cents, 0);
    }

    #[test]
    fn amounts_are_read_exactly_in_the_currency_minor_units() {
        assert_eq!(minor(&json!("89.99"), "USD"), Ok(8999));
        assert_eq!(minor(&json!("10"), "USD"), Ok(1000));
        assert_eq!(minor(&json!("0.5"), "USD"), Ok(50));
        assert_eq!(minor(&json!(89.99), "USD"), Ok(8999));
        assert_eq!(minor(&json!(0.30000000000000004), "USD"), Ok(30));
        assert_eq!(minor(&json!(0.125), "USD"), Ok(13));
        assert_eq!(minor(&json!("14319"), "JPY"), Ok(14_319));
        assert_eq!(minor(&json!("14319.00"), "JPY"), Ok(14_319));
        assert_eq!(minor(&json!("1.250"), "KWD"), Ok(1_250));
        assert_eq!(
            minor(&json!("12.50"), ""),
            Ok(1_250),
            "no currency: two decimals"
        );
        assert!(minor(&json!("-1.00"), "USD").is_err());
        assert!(minor(&json!("1e5"), "USD").is_err());
        assert!(minor(&json!(""), "USD").is_err());
        assert!(minor(&json!(null), "USD").is_err());
        assert!(minor(&json!("99999999999999999"), "USD").is_err());
    }

    #[test]
    fn a_refund_takes_back_the_refunded_share_of_the_points() {
        assert_eq!(points_to_take_back(404, 40495, 8999), 89);
        assert_eq!(points_to_take_back(404, 40495, 40495), 404);
        assert_eq!(points_to_take_back(404, 40495, 99999), 404);
        assert_eq!(points_to_take_back(0, 40495, 8999), 0);
        assert_eq!(points_to_take_back(404, 0, 8999), 0);
    }

    #[test]
    fn a_line_without_sku_is_named_by_its_variant_and_control_characters_go() {
        let line =
            json!({"id": 1, "variant_id": 42, "quantity": 2, "title": "Tee\u{7}", "price": "5.00"});
        assert_eq!(
            line_item(&line, "GBP"),
            Some(
                json!({"sku": "shopify-variant-42", "qty": 2, "title": "Tee", "price_cents": 500})
            )
        );
        assert_eq!(
            line_item(&json!({"id": 1, "sku": "A", "quantity": 0}), "GBP"),
            None
        );
    }
}
