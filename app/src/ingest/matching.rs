//! The ingest pipeline's middle steps, the rules without the SQL: match (each event to the
//! customer its identifier finds, refusing an unknown or restricted one), enrich (store and
//! product names written in, the customer's tier at the time) and drop repeats inside a
//! batch; and the sender's answer for what storing did.

use super::db;
use super::envelope::Checked;
use super::model::{FieldError, Outcome};
use super::validate::ValidEvent;
use crate::events::NewEvent;
use crate::store::Backend;
use serde_json::{json, Value};
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap};

/// A batch's events ready to store: matched to their customers and enriched, with the
/// answers already known (invalid, unknown customer, restricted, a repeat inside the batch).
pub struct Prepared {
    /// The answer for each event of the batch so far (`None`: waiting to be stored).
    pub outcomes: Vec<Option<Outcome>>,
    /// The events to store, each with its place in the batch.
    pub events: Vec<(usize, NewEvent)>,
    /// Events refused because their customer is restricted, counted per customer.
    pub refused: BTreeMap<String, i64>,
}

/// Matches and enriches the valid events of `batch` through `conn`, reading only.
pub async fn prepare(
    backend: Backend,
    conn: &mut AnyConnection,
    batch: &[Checked],
    ignore_case: bool,
    citus: bool,
    now: i64,
) -> Result<Prepared, sqlx::Error> {
    let valid: Vec<&ValidEvent> = batch.iter().filter_map(|c| c.event.as_ref().ok()).collect();
    let customers = db::customers_holding(backend, conn, &valid, ignore_case, citus).await?;
    let catalogue = Catalogue {
        stores: db::stores(backend, conn, &valid).await?,
        products: db::products(backend, conn, &valid).await?,
        geofences: db::geofences(backend, conn, &valid).await?,
    };

    let mut outcomes: Vec<Option<Outcome>> = vec![None; batch.len()];
    let mut events: Vec<(usize, NewEvent)> = Vec::with_capacity(batch.len());
    let mut seen: HashMap<(String, String), String> = HashMap::with_capacity(batch.len());
    let mut refused: BTreeMap<String, i64> = BTreeMap::new();
    for (slot, checked) in batch.iter().enumerate() {
        let event = match &checked.event {
            Ok(event) => event,
            Err(errors) => {
                outcomes[slot] = Some(Outcome::Rejected {
                    errors: errors.clone(),
                });
                continue;
            }
        };
        // What does not depend on the customer is checked first, so that a refusal never
        // tells whether the identifier belongs to a customer (publishable keys).
        let payload = match catalogued(event, &catalogue) {
            Ok(payload) => payload,
            Err(errors) => {
                outcomes[slot] = Some(Outcome::Rejected { errors });
                continue;
            }
        };
        let customer = customers.get(&(event.customer.kind, event.customer.value.clone()));
        let Some((customer_id, tier, restricted)) = customer else {
            outcomes[slot] = Some(unknown_customer(event));
            continue;
        };
        if *restricted && REFUSED_WHILE_RESTRICTED.contains(&event.event_type.as_str()) {
            *refused.entry(customer_id.clone()).or_insert(0) += 1;
            outcomes[slot] = Some(restricted_refusal());
            continue;
        }
        let new = stored_form(event, payload, customer_id, tier.as_deref(), now);
        let key = (new.customer_id.clone(), event.client_event_id.clone());
        if let Some(first) = seen.get(&key) {
            outcomes[slot] = Some(Outcome::Duplicate {
                id: first.clone(),
                customer_id: new.customer_id.clone(),
            });
        } else {
            seen.insert(key, new.id.clone());
            events.push((slot, new));
        }
    }
    Ok(Prepared {
        outcomes,
        events,
        refused,
    })
}

/// The geofence a `geofence_entered` / `geofence_exited` event names.
pub fn geofence_id(event: &ValidEvent) -> Option<&str> {
    if !event.event_type.starts_with("geofence_") {
        return None;
    }
    event.payload.get("geofence_id").and_then(Value::as_str)
}

/// The answer for an event refused because its customer's processing is restricted.
pub fn restricted_refusal() -> Outcome {
    Outcome::Rejected {
        errors: vec![FieldError::about_customer(
            "customer",
            "processing of this customer's data is restricted (GDPR art. 18): \
             no points, tiers, offers or rewards until reinstated",
        )],
    }
}

/// What storing did with one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Stored, its projections moved.
    Accepted,
    /// Stored before under the same customer and `event_id`: the id it was stored under.
    Duplicate(String),
    /// Refused: it would take the points balance below zero (the balance it met).
    BelowZero(i64),
    /// Refused: its customer was merged away or forgotten after it was matched (another
    /// request committed in between); only this event is refused.
    CustomerGone,
}

impl Stored {
    /// The sender's answer for `event`.
    pub fn outcome(self, event: &NewEvent) -> Outcome {
        match self {
            Self::Accepted => Outcome::Accepted {
                id: event.id.clone(),
                customer_id: event.customer_id.clone(),
            },
            Self::Duplicate(id) => Outcome::Duplicate {
                id,
                customer_id: event.customer_id.clone(),
            },
            Self::BelowZero(balance) => Outcome::Rejected {
                errors: vec![FieldError::about_customer(
                    "payload.points",
                    format!("would take the points balance below zero (balance {balance})"),
                )],
            },
            Self::CustomerGone => Outcome::Rejected {
                errors: vec![FieldError::about_customer(
                    "customer",
                    "this customer was merged into another or forgotten while the event was \
                     being stored; send it again (a merged customer's events go to the profile \
                     kept)",
                )],
            },
        }
    }
}

/// Event types refused while a customer's processing is restricted (GDPR art. 18): they
/// would accrue points, move a tier or deliver an offer, reward or campaign.
pub const REFUSED_WHILE_RESTRICTED: [&str; 8] = [
    "points_earned",
    "points_comped",
    "tier_promoted",
    "tier_demoted",
    "offer_redeemed",
    "reward_redeemed",
    "campaign_progress",
    "loyalty_rule_completed",
];

/// The answer for an event whose identifier no customer holds.
fn unknown_customer(event: &ValidEvent) -> Outcome {
    let kind = event.customer.kind;
    Outcome::Rejected {
        errors: vec![FieldError::about_customer(
            format!("customer.{}", kind.name()),
            format!("no customer has this {}", kind.noun()),
        )],
    }
}

/// What a batch's events name, read once a batch: stores (id → [name, city]), products (SKU →
/// [name]) and geofences (id → name).
struct Catalogue {
    stores: HashMap<String, Vec<String>>,
    products: HashMap<String, Vec<String>>,
    geofences: HashMap<String, String>,
}

/// `event`'s payload with its store's, products' and geofence's names written in, so the
/// record reads the same after the catalogue changes; an unknown store, SKU or geofence is
/// refused. Depends on nothing stored about the customer.
fn catalogued(
    event: &ValidEvent,
    catalogue: &Catalogue,
) -> Result<serde_json::Map<String, Value>, Vec<FieldError>> {
    let Catalogue {
        stores,
        products,
        geofences,
    } = catalogue;
    let mut errors = Vec::new();
    let mut payload = event.payload.clone();
    if let Some(store_id) = &event.store_id {
        match stores.get(store_id).map(Vec::as_slice) {
            Some([name, city]) => {
                payload.insert("store_name".into(), json!(name));
                payload.insert("store_city".into(), json!(city));
            }
            _ => errors.push(FieldError::new("store_id", "no store has this id")),
        }
    }
    if let Some(fence) = geofence_id(event) {
        match geofences.get(fence) {
            Some(name) => {
                payload.insert("geofence_name".into(), json!(name));
            }
            None => errors.push(FieldError::new(
                "payload.geofence_id",
                "no geofence has this id (Admin → Locations lists them)",
            )),
        }
    }
    if let Some(Value::Array(items)) = payload.get_mut("items") {
        for (i, item) in items.iter_mut().enumerate() {
            let sku = item.get("sku").and_then(Value::as_str).unwrap_or_default();
            // A sender's own title names an item the catalogue does not hold (a web shop's
            // SKU); without one an unknown SKU is refused as a likely typo.
            let title = item
                .get("title")
                .and_then(Value::as_str)
                .map(str::to_string);
            match (products.get(sku).and_then(|v| v.first()), title) {
                (Some(name), _) => item["name"] = json!(name),
                (None, Some(title)) => item["name"] = json!(title),
                (None, None) => errors.push(FieldError::new(
                    format!("payload.items[{i}].sku"),
                    "no product in the catalogue has this sku (send a title to record it anyway)",
                )),
            }
        }
    }
    if errors.is_empty() {
        Ok(payload)
    } else {
        Err(errors)
    }
}

/// The event as stored for `customer_id`, with the customer's tier at the time written in.
fn stored_form(
    event: &ValidEvent,
    mut payload: serde_json::Map<String, Value>,
    customer_id: &str,
    tier: Option<&str>,
    now: i64,
) -> NewEvent {
    if let Some(tier) = tier {
        payload.insert("customer_tier".into(), json!(tier));
    }
    NewEvent {
        id: uuid::Uuid::now_v7().to_string(),
        customer_id: customer_id.to_string(),
        client_event_id: Some(event.client_event_id.clone()),
        event_type: event.event_type.to_string(),
        source: event.source.clone(),
        occurred_at: event.occurred_at,
        received_at: now,
        store_id: event.store_id.clone(),
        amount_cents: event.amount_cents,
        points_delta: event.points_delta,
        payload: Value::Object(payload),
    }
}
