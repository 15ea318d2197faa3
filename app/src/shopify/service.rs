//! The use cases of the Shopify adapter: a webhook delivery checked, claimed once and turned
//! into events; the settings saved (audited) and read.

use super::db;
use super::model::{
    checked_points_per_unit, checked_secret, SettingsForm, ShopifySettings, UnknownCustomers,
};
use super::order::{self, Buyer, Order, Refund};
use super::signature;
use crate::auth::{CurrentUser, Permission, Role};
use crate::change::Change;
use crate::customers::new_customer::{CreateOutcome, NewCustomerForm};
use crate::error::AppError;
use crate::identity::fold_external_id;
use crate::identity::IdentifierKind;
use crate::ingest::model::{EventIn, IngestReport, Outcome};
use crate::money::Money;
use crate::state::AppState;
use crate::time::now_millis;
use serde_json::{json, Value};

/// The request headers a delivery is read by.
#[derive(Debug, Default, Clone, Copy)]
pub struct Headers<'a> {
    /// `X-Shopify-Topic`.
    pub topic: Option<&'a str>,
    /// `X-Shopify-Webhook-Id`.
    pub webhook_id: Option<&'a str>,
    /// `X-Shopify-Shop-Domain`.
    pub shop_domain: Option<&'a str>,
    /// `X-Shopify-Hmac-Sha256`.
    pub hmac: Option<&'a str>,
}

/// The answer to a delivery with a good signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Processed now: the outcome and what happened.
    Processed {
        /// `recorded`, `already recorded`, `ignored` or `refused`.
        outcome: &'static str,
        /// In words.
        detail: String,
    },
    /// Seen before (or being processed): nothing done.
    Replay,
}

/// What processing a delivery came to.
struct Done {
    outcome: &'static str,
    detail: String,
    customer_id: Option<String>,
    order_id: Option<String>,
}

impl Done {
    fn new(outcome: &'static str, detail: impl Into<String>) -> Self {
        Self {
            outcome,
            detail: detail.into(),
            customer_id: None,
            order_id: None,
        }
    }

    fn order(mut self, order_id: &str) -> Self {
        self.order_id = Some(order_id.to_string());
        self
    }
}

/// Checks a delivery's signature, claims its webhook id (a replay does nothing) and turns it
/// into events. Everything Shopify should not send again (ignored topics, unpaid orders,
/// refused customers, malformed payloads) is answered as processed and logged; only a wrong
/// signature (401), a missing setup (503) or a failure here (500, so Shopify retries) is not.
pub async fn receive(
    state: &AppState,
    headers: Headers<'_>,
    body: &[u8],
) -> Result<Answer, AppError> {
    // While the console moves, nothing is claimed: Shopify sends the delivery again (503).
    if crate::store::maintenance(state.db.pool()).await?.is_some() {
        return Err(AppError::Maintenance(crate::maintenance::MOVING.into()));
    }
    let (secret, settings) = db::settings(&state.db).await?;
    let Some(secret) = secret else {
        return Err(AppError::Unavailable(
            "Shopify is not connected here: set its signing secret in Admin → Integrations.".into(),
        ));
    };
    let now = now_millis();
    if !headers
        .hmac
        .is_some_and(|h| signature::verify(&secret, body, h))
    {
        db::note_bad_signature(&state.db, now).await?;
        return Err(AppError::Unauthorized);
    }
    let webhook_id = headers
        .webhook_id
        .map(str::trim)
        .filter(|id| !id.is_empty() && id.len() <= 200)
        .ok_or_else(|| {
            AppError::validation(
                "X-Shopify-Webhook-Id",
                "is required: Shopify sends it with every delivery",
            )
        })?;
    let topic: String = headers
        .topic
        .unwrap_or_default()
        .trim()
        .chars()
        .take(100)
        .collect();
    let shop: String = headers
        .shop_domain
        .unwrap_or_default()
        .trim()
        .chars()
        .take(200)
        .collect();
    if !db::claim(&state.db, webhook_id, &topic, &shop, now).await? {
        db::count_replay(&state.db, webhook_id).await?;
        return Ok(Answer::Replay);
    }
    let done = match process(state, &settings, &topic, body, now).await {
        Ok(done) => done,
        Err(error) => {
            let detail = "Failed here; Shopify will send it again.";
            db::finish(&state.db, webhook_id, "failed", detail, None, None).await?;
            return Err(error);
        }
    };
    db::finish(
        &state.db,
        webhook_id,
        done.outcome,
        &done.detail,
        done.customer_id.as_deref(),
        done.order_id.as_deref(),
    )
    .await?;
    Ok(Answer::Processed {
        outcome: done.outcome,
        detail: done.detail,
    })
}

async fn process(
    state: &AppState,
    settings: &ShopifySettings,
    topic: &str,
    body: &[u8],
    now: i64,
) -> Result<Done, AppError> {
    let payload: Value = match serde_json::from_slice(body) {
        Ok(payload) => payload,
        Err(error) => {
            return Ok(Done::new(
                "refused",
                format!("The body is not JSON: {error}."),
            ))
        }
    };
    match topic {
        "orders/create" | "orders/paid" => order(state, settings, topic, &payload, now).await,
        "refunds/create" => refund(state, &payload, now).await,
        other => Ok(Done::new(
            "ignored",
            format!(
                "The console takes orders/create, orders/paid and refunds/create, not {other:?}."
            ),
        )),
    }
}

async fn order(
    state: &AppState,
    settings: &ShopifySettings,
    topic: &str,
    payload: &Value,
    now: i64,
) -> Result<Done, AppError> {
    let order = match Order::read(payload) {
        Ok(order) => order,
        Err(problem) => return Ok(Done::new("refused", format!("Not an order: {problem}."))),
    };
    let name = order.name.clone().unwrap_or_else(|| order.id.clone());
    if topic == "orders/create" && !order.is_paid() {
        let detail = format!(
            "Order {name} is not paid (financial status {:?}): it is recorded when orders/paid arrives.",
            order.financial_status
        );
        return Ok(Done::new("ignored", detail).order(&order.id));
    }
    let (customer_id, added) = match customer_of(state, settings, &order).await? {
        Ok(found) => found,
        Err(refusal) => return Ok(Done::new("refused", refusal).order(&order.id)),
    };
    if order.test && !added && !crate::customers::db::is_test(&state.db, &customer_id).await? {
        let detail = format!(
            "Test order {name} (Shopify's test mode) for a real customer: not counted, no \
             purchase, spend or points recorded."
        );
        let mut done = Done::new("ignored", detail);
        done.customer_id = Some(customer_id);
        return Ok(done.order(&order.id));
    }
    let mut events = vec![order.purchase(&customer_id)];
    events.extend(order.points(&customer_id, settings.points_per_unit));
    let report = ingest(state, &events, now).await?;
    let mut done = match outcome_of(&report, 0) {
        Ok(outcome) => Done::new(
            outcome,
            format!(
                "Purchase of {} (order {name}) {outcome}",
                Money::new(order.amount_cents, &order.currency).display("")
            ),
        ),
        Err(problem) => Done::new("refused", format!("Order {name}: {problem}")),
    };
    match (events.get(1), outcome_of(&report, 1)) {
        (Some(points), Ok("recorded")) => {
            done.detail += &format!("; +{} points", points.payload["points"])
        }
        (Some(_), Err(problem)) => done.detail += &format!("; no points: {problem}"),
        _ => {}
    }
    if added {
        done.detail += "; customer added from the order";
    }
    done.detail.push('.');
    done.customer_id = Some(customer_id);
    Ok(done.order(&order.id))
}

/// Records a refund against its order: in the order's currency, never more than the order
/// has left after earlier refunds, taking back the same share of the order's points (never
/// more than it earned). Refunds are handled one at a time, so two refunds of one order
/// delivered together cannot both take what is left.
async fn refund(state: &AppState, payload: &Value, now: i64) -> Result<Done, AppError> {
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let refund = match Refund::read(payload) {
        Ok(refund) => refund,
        Err(problem) => return Ok(Done::new("refused", format!("Not a refund: {problem}."))),
    };
    let Some(customer_id) = db::order_customer(&state.db, &refund.order_id).await? else {
        let detail = format!(
            "Order {} was not recorded here (placed before the shop was connected, or refused): nothing to refund.",
            refund.order_id
        );
        return Ok(Done::new("ignored", detail).order(&refund.order_id));
    };
    let _turn = ONE_AT_A_TIME.lock().await;
    let customer_id = crate::identity::db::survivor_of(&state.db, &customer_id)
        .await?
        .unwrap_or(customer_id);
    let held = db::order_held(
        state.db.pool(),
        &customer_id,
        &order::purchase_event_id(&refund.order_id),
        &order::points_event_id(&refund.order_id),
    )
    .await?;
    let order_id = refund.order_id.clone();
    let Some((order_cents, currency)) = held.purchase.clone() else {
        let detail = format!("Order {order_id} has no purchase recorded here: nothing to refund.");
        return Ok(Done::new("ignored", detail).order(&order_id));
    };
    if !refund.money_moved {
        let detail = format!(
            "Refund {} of order {order_id} returned no money (a restock or a note): spend and \
             points are unchanged.",
            refund.id
        );
        return Ok(Done::new("ignored", detail).order(&order_id));
    }
    let Some(asked) = refund.amount_in(&currency, order_cents, held.presentment.as_ref()) else {
        let detail = format!(
            "Refund in {} of order {order_id}, paid in {currency}: the payload gives no amount in {currency}.",
            refund.currency.as_deref().unwrap_or("another currency")
        );
        return Ok(Done::new("refused", detail).order(&order_id));
    };
    let (refunded, points_back) =
        db::order_refunded(&state.db, &customer_id, &order_id, &refund.event_id()).await?;
    let amount_cents = asked.min((order_cents - refunded).max(0));
    if amount_cents == 0 && asked > 0 {
        let detail =
            format!("Order {order_id} was refunded in full before: nothing left to refund.");
        return Ok(Done::new("ignored", detail).order(&order_id));
    }
    let points = order::points_to_take_back(held.points, order_cents, amount_cents)
        .min((held.points - points_back).max(0));
    let capped = Refund {
        amount_cents,
        currency: Some(currency.clone()),
        ..refund
    };
    let report = ingest(state, &[capped.event(&customer_id, &currency, points)], now).await?;
    let amount = Money::new(amount_cents, &currency).display("");
    let mut done = match outcome_of(&report, 0) {
        Ok(outcome) => {
            let mut detail = format!("Refund of {amount} of order {order_id} {outcome}");
            if amount_cents < asked {
                detail += &format!(
                    " (capped at what the order had left; {} asked)",
                    Money::new(asked, &currency).display("")
                );
            }
            if points > 0 && outcome == "recorded" {
                detail += &format!("; up to {points} points taken back");
            }
            Done::new(outcome, detail + ".")
        }
        Err(problem) => Done::new("refused", format!("Refund of {amount}: {problem}.")),
    };
    done.customer_id = Some(customer_id);
    Ok(done.order(&order_id))
}

async fn ingest(state: &AppState, events: &[EventIn], now: i64) -> Result<IngestReport, AppError> {
    let values = events.iter().map(|e| json!(e)).collect();
    let shop = CurrentUser::system("shopify", "Shopify");
    crate::ingest::service::ingest(state, &shop, values, now, None).await
}

/// `recorded` or `already recorded` for event `index` of `report`; else why it was refused.
fn outcome_of(report: &IngestReport, index: usize) -> Result<&'static str, String> {
    match report.results.get(index).map(|r| &r.outcome) {
        Some(Outcome::Accepted { .. }) => Ok("recorded"),
        Some(Outcome::Duplicate { .. }) => Ok("already recorded"),
        Some(Outcome::Rejected { errors }) => Err(errors
            .iter()
            .map(|e| format!("{} {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ")),
        _ => Err("not processed".into()),
    }
}

/// The customer an order is for: by the Shopify customer id, then the order's emails, then
/// its phones (the Shopify id is then kept as an external id, so the next order matches at
/// once); else, as the setting says, a new customer from the order or a refusal (its words).
async fn customer_of(
    state: &AppState,
    settings: &ShopifySettings,
    order: &Order,
) -> Result<Result<(String, bool), String>, AppError> {
    let buyer = &order.buyer;
    let actor = integration_actor();
    // Read once for both turns: how identifiers are matched.
    let ignore_case = crate::settings::db::external_ids_ignore_case(&state.db).await?;
    let region = crate::settings::service::phone_region(&state.db).await?;
    for attempt in 0..2 {
        if let Some(found) = find(state, buyer, ignore_case, &region).await? {
            return Ok(Ok((found, false)));
        }
        if settings.unknown_customers == UnknownCustomers::Refuse {
            return Ok(Err(
                "No customer has the order's Shopify customer id, email or phone, and \
                 orders from unknown customers are refused (Admin → Integrations)."
                    .into(),
            ));
        }
        match crate::customers::service::create_via(
            state,
            &actor,
            new_customer(order, &region),
            "shopify",
        )
        .await
        {
            Ok(CreateOutcome::Created(id)) => return Ok(Ok((id, true))),
            // Added a moment ago by the same order's other delivery: found on the next turn.
            Ok(CreateOutcome::Duplicate { .. }) | Err(AppError::Conflict(_)) if attempt == 0 => {}
            Ok(CreateOutcome::Duplicate { message, .. }) => return Ok(Err(message)),
            Err(AppError::Validation { field, message }) => {
                return Ok(Err(format!(
                    "Could not add the customer: {field}: {message}"
                )))
            }
            Err(other) => return Err(other),
        }
    }
    Ok(Err("Could not add the customer.".into()))
}

/// The customer holding the buyer's Shopify id, email or phone (the Shopify id added to a
/// customer found another way). External ids fold case as `ignore_case` says; phones are
/// read with `region`.
async fn find(
    state: &AppState,
    buyer: &Buyer,
    ignore_case: bool,
    region: &str,
) -> Result<Option<String>, AppError> {
    let db = &state.db;
    let shopify_id = buyer
        .shopify_id
        .as_deref()
        .map(|id| fold_external_id(&order::external_id(id), ignore_case));
    if let Some(key) = &shopify_id {
        if let Some(found) =
            crate::identity::db::owner(db, IdentifierKind::ExternalId.name(), key).await?
        {
            return Ok(Some(found));
        }
    }
    let candidates = buyer
        .emails
        .iter()
        .map(|e| (IdentifierKind::Email, e))
        .chain(buyer.phones.iter().map(|p| (IdentifierKind::Phone, p)));
    for (kind, value) in candidates {
        let Ok(Some(normalized)) = kind.normalise(value, region) else {
            continue;
        };
        if let Some(found) = crate::identity::db::owner(db, kind.name(), &normalized).await? {
            if let Some(id) = &buyer.shopify_id {
                keep_shopify_id(state, &found, id).await;
            }
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// Adds the Shopify customer id to customer `customer_id` (audited as the integration); a
/// failure (another customer holds it) only costs the shortcut, so it is logged, not raised.
async fn keep_shopify_id(state: &AppState, customer_id: &str, shopify_id: &str) {
    let added = crate::identity::service::add(
        state,
        &integration_actor(),
        customer_id.to_string(),
        IdentifierKind::ExternalId.name().to_string(),
        order::external_id(shopify_id),
        false,
    )
    .await;
    if let Err(error) = added {
        tracing::warn!(%error, "the Shopify customer id was not added to the customer");
    }
}

/// Add Customer's form filled from the order: name, the first email and phone that are
/// valid, the Shopify id as external id, email opt-in when the buyer accepted marketing,
/// test persona for a test order. Phones are read with `region`.
fn new_customer(order: &Order, region: &str) -> NewCustomerForm {
    let valid = |kind: IdentifierKind, values: &[String]| {
        values
            .iter()
            .find(|v| matches!(kind.normalise(v, region), Ok(Some(_))))
            .cloned()
            .unwrap_or_default()
    };
    let buyer = &order.buyer;
    NewCustomerForm {
        first_name: buyer.first_name.clone(),
        last_name: buyer.last_name.clone(),
        email: valid(IdentifierKind::Email, &buyer.emails),
        phone: valid(IdentifierKind::Phone, &buyer.phones),
        external_id: buyer
            .shopify_id
            .as_deref()
            .map(order::external_id)
            .unwrap_or_default(),
        email_opt_in: buyer.accepts_marketing.then(|| "on".to_string()),
        is_test: order.test.then(|| "on".to_string()),
        ..NewCustomerForm::default()
    }
}

/// Who the audit trail names for the adapter's changes.
fn integration_actor() -> CurrentUser {
    CurrentUser {
        id: "integration:shopify".into(),
        email: "shopify (integration)".into(),
        display_name: "Shopify".into(),
        role: Role::CareAgent,
        permissions: vec![
            Permission::CustomersSearch,
            Permission::CustomersCreate,
            Permission::CustomersViewPii,
        ],
    }
}

/// The settings, for the Integrations screen.
pub async fn settings(state: &AppState) -> Result<ShopifySettings, AppError> {
    Ok(db::settings(&state.db).await?.1)
}

/// Saves the settings form (each bad value answered at its field), audited without the
/// secret.
pub async fn save_settings(
    state: &AppState,
    admin: &CurrentUser,
    form: SettingsForm,
) -> Result<ShopifySettings, AppError> {
    let secret = checked_secret(&form.secret).map_err(|m| AppError::validation("secret", m))?;
    let points_per_unit = checked_points_per_unit(&form.points_per_unit)
        .map_err(|m| AppError::validation("points_per_unit", m))?;
    let (_, before) = db::settings(&state.db).await?;
    if secret.is_none() && before.secret_hint.is_none() {
        return Err(AppError::validation(
            "secret",
            "Paste the signing secret from the shop's admin (Settings → Notifications → Webhooks).",
        ));
    }
    let unknown = UnknownCustomers::parse(&form.unknown_customers);
    let mut change = Change::begin(state, admin).await?;
    db::save_settings(change.tx(), secret.as_deref(), unknown, points_per_unit).await?;
    let summary = |s: &ShopifySettings| json!({"unknown_customers": s.unknown_customers.as_str(), "points_per_unit": s.points_per_unit});
    let mut after = summary(&ShopifySettings {
        unknown_customers: unknown,
        points_per_unit,
        ..before.clone()
    });
    after["secret_changed"] = json!(secret.is_some());
    change
        .audit("integrations.shopify", |r| {
            r.subject("shopify").change(summary(&before), after)
        })
        .await?;
    change.commit().await?;
    settings(state).await
}
