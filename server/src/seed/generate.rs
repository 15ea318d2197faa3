//! Generates one customer and their history, deterministically from (seed, index).

use super::data::{
    CAMPAIGNS, DEVICES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, PROMO_CODES, REWARDS, STREETS,
    TAGS, TIERS,
};
use app::catalog::{Product, Store};
use app::customers::{Contact, NewCustomer};
use app::events::NewEvent;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

const DAY: i64 = 86_400_000;

/// What the generator needs besides the index: the seed, the clock and the catalogue.
pub struct World<'a> {
    /// The run's seed.
    pub seed: u64,
    /// "Now" for the generated history, epoch milliseconds.
    pub as_of: i64,
    /// Stores to shop in.
    pub stores: &'a [Store],
    /// Products to buy.
    pub products: &'a [Product],
}

/// One customer with their events; projections on the customer match the events.
pub fn customer(world: &World<'_>, index: u64) -> (NewCustomer, Vec<NewEvent>) {
    let mut rng = ChaCha8Rng::seed_from_u64(world.seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let pick = |rng: &mut ChaCha8Rng, list: &[&'static str]| list[rng.gen_range(0..list.len())];
    let first = pick(&mut rng, FIRST_NAMES);
    let last = pick(&mut rng, LAST_NAMES);
    let is_test = rng.gen_bool(0.005);
    let (first_name, last_name) = if is_test {
        ("Test".to_string(), format!("Persona {index}"))
    } else {
        (first.to_string(), last.to_string())
    };
    let nameless = rng.gen_bool(0.01);
    let local: String = format!(
        "{}.{}{index}",
        app::customers::search_key(first),
        app::customers::search_key(last)
    )
    .chars()
    .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
    .collect();
    let email = (!rng.gen_bool(0.03)).then(|| format!("{local}@{}", pick(&mut rng, EMAIL_DOMAINS)));
    let phone = (!rng.gen_bool(0.05)).then(|| {
        format!(
            "+447{:09}",
            (index.wrapping_mul(7919) + 123_457) % 1_000_000_000
        )
    });
    let card_number = Some(format!(
        "6339{:012}",
        (index.wrapping_mul(104_729) + 1_000_003) % 1_000_000_000_000
    ));
    let external_id = Some(format!(
        "CRM-{:08}",
        (index.wrapping_mul(7_368_787) + 31) % 100_000_000
    ));
    let home = &world.stores[rng.gen_range(0..world.stores.len())];
    // Customer 0 is the showcase: a loyal member for nearly three years (demos and tests).
    let joined_days_ago = if index == 0 {
        1_000
    } else if rng.gen_bool(0.1) {
        rng.gen_range(1..365)
    } else {
        rng.gen_range(365..1095)
    };
    let created_at = world.as_of - joined_days_ago * DAY - rng.gen_range(0..DAY);
    let birth_year = rng.gen_range(1950..2006);
    let status_id = match rng.gen_range(0..100) {
        0..=89 => "active",
        90..=94 => "vip",
        95..=97 => "watch",
        98 => "suspended",
        _ => "closed",
    };
    let id = seed_id(index, &mut rng);
    let mut customer = NewCustomer {
        id: id.clone(),
        contact: Contact {
            first_name: (!nameless).then_some(first_name),
            last_name: (!nameless).then_some(last_name),
            email,
            phone,
            card_number,
            external_id,
            date_of_birth: Some(format!(
                "{birth_year}-{:02}-{:02}",
                rng.gen_range(1..=12),
                rng.gen_range(1..=28)
            )),
            address_line: Some(format!(
                "{} {}",
                rng.gen_range(1..200),
                pick(&mut rng, STREETS)
            )),
            city: Some(home.city.clone()),
            postal_code: Some(home_postcode(&home.postal_code, index)),
            country: Some(home.country.clone()),
        },
        status_id: status_id.into(),
        is_test,
        email_opt_in: rng.gen_bool(0.6),
        sms_opt_in: rng.gen_bool(0.3),
        push_opt_in: rng.gen_bool(0.4),
        phone_verified: rng.gen_bool(0.7),
        home_store_id: Some(home.id.clone()),
        points_balance: 0,
        tier: Some(TIERS[0].0.into()),
        tier_since: Some(created_at),
        purchase_count: 0,
        last_active_at: Some(created_at),
        created_at,
    };
    let events = History::new(world, index, &mut customer, rng).generate();
    (customer, events)
}

/// A postcode in the home store's district (`B2 4BF` → `B2 7QX`): the store's outward code
/// and an inward code of the customer's own, worked out from the index so the random stream
/// (and so every other seeded value) stays as it was. 4,000 inward codes per district, as
/// precise as a real postcode, so that "same name and postcode" means what it does in life.
fn home_postcode(store_postcode: &str, index: u64) -> String {
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let outward = store_postcode
        .split_whitespace()
        .next()
        .unwrap_or(store_postcode);
    let n = index.wrapping_mul(2_654_435_761) % 4_000;
    let letter = |i: u64| LETTERS[(i % 20) as usize] as char;
    format!("{outward} {}{}{}", n / 400, letter(n / 20), letter(n))
}

/// A UUIDv7 whose time part grows with the customer index, so that a seed appends to the
/// primary-key and per-customer indexes instead of writing all over them (which made a
/// million-customer seed several times slower).
fn seed_id(index: u64, rng: &mut ChaCha8Rng) -> String {
    uuid::Builder::from_unix_timestamp_millis(SEED_EPOCH_MILLIS + index, &rng.gen::<[u8; 10]>())
        .into_uuid()
        .to_string()
}

const SEED_EPOCH_MILLIS: u64 = 1_577_836_800_000; // 2020-01-01

/// The smallest id the seeder can give customer `index`: `id >= floor` finds that customer
/// (the benchmark samples customers this way, without scanning).
pub fn id_floor(index: u64) -> String {
    uuid::Builder::from_unix_timestamp_millis(SEED_EPOCH_MILLIS + index, &[0; 10])
        .into_uuid()
        .to_string()
}

/// Builds the event history of one customer and keeps the projections in step.
struct History<'w, 'c> {
    world: &'w World<'w>,
    index: u64,
    customer: &'c mut NewCustomer,
    rng: ChaCha8Rng,
    events: Vec<NewEvent>,
    lifetime_points: i64,
}

impl<'w, 'c> History<'w, 'c> {
    fn new(
        world: &'w World<'w>,
        index: u64,
        customer: &'c mut NewCustomer,
        rng: ChaCha8Rng,
    ) -> Self {
        Self {
            world,
            index,
            customer,
            rng,
            events: Vec::new(),
            lifetime_points: 0,
        }
    }

    /// How many of each item this customer takes (1 for most, up to 3 for those buying for
    /// an office or a family): spend per visit differs between customers, as in real bases.
    /// From the index alone, so the random stream (and the rest of the history) is unchanged.
    fn basket_size(&self) -> i64 {
        match self.index.wrapping_mul(0x9E37_79B9) % 10 {
            0 | 1 => 2,
            2 => 3,
            _ => 1,
        }
    }

    /// A reward sent by post: the redemption, then shipped two days later and delivered two
    /// days after that (as far as the history reaches). Draws nothing from the random stream.
    fn reward_order(&mut self, reward: &str, at: i64) {
        let order_id = format!("RW-{:06}-{}", self.index, at / 1000 % 1_000_000);
        let tracking_ref = format!(
            "RM{:09}GB",
            (self.index * 7_919 + (at as u64 / 1000)) % 1_000_000_000
        );
        self.push(
            "reward_redeemed",
            at,
            None,
            None,
            None,
            json!({"reward": reward, "order_id": order_id, "status": "ordered"}),
        );
        for (days, status) in [(2, "shipped"), (4, "delivered")] {
            let when = at + days * DAY;
            if when < self.world.as_of {
                self.push(
                    "reward_order_updated",
                    when,
                    None,
                    None,
                    None,
                    json!({"order_id": order_id, "status": status, "carrier": "Royal Mail",
                        "tracking_ref": tracking_ref,
                        "tracking_url": format!("https://www.royalmail.com/track-your-item#/tracking-results/{tracking_ref}")}),
                );
            }
        }
    }

    fn generate(mut self) -> Vec<NewEvent> {
        let start = self.customer.created_at;
        self.push(
            "customer_created",
            start,
            None,
            None,
            None,
            json!({"channel": "in-store"}),
        );
        // Cadence: a fifth are loyal (every 1–3 weeks), two fifths regular (every 1–3 months),
        // the rest occasional (every 3–6 months); on top of that, three in ten lapse.
        let mean_gap_days: f64 = match self.rng.gen_range(0..5) {
            _ if self.index == 0 => 7.0,
            0 => self.rng.gen_range(7.0..21.0),
            1 | 2 => self.rng.gen_range(30.0..90.0),
            _ => self.rng.gen_range(90.0..180.0),
        };
        let lapses_at = if self.index != 0 && self.rng.gen_bool(0.3) {
            start + (self.rng.gen_range(0.1..0.8) * (self.world.as_of - start) as f64) as i64
        } else {
            self.world.as_of
        };
        if self.rng.gen_bool(0.45) {
            let (platform, model, os) = DEVICES[self.rng.gen_range(0..DEVICES.len())];
            let seen = start + self.rng.gen_range(0..7 * DAY);
            self.push(
                "device_seen",
                seen,
                None,
                None,
                None,
                json!({
                    "platform": platform, "model": model, "os_version": os, "app_version": "4.2.0",
                    "screen": "1170x2532", "push_enabled": self.customer.push_opt_in,
                }),
            );
        }
        let mut at = start;
        loop {
            let gap_days = -mean_gap_days * (1.0 - self.rng.gen::<f64>()).ln();
            at += (gap_days * DAY as f64) as i64;
            if at >= lapses_at.min(self.world.as_of) {
                break;
            }
            self.purchase(at);
        }
        if self.index % 5 == 4 {
            self.geofence_visits();
        }
        self.events
    }

    /// A customer with the brand's app (every fifth, from the fifth: customers 0 to 3 keep
    /// the histories tests know) is seen at their home store's entrance geofence on their last
    /// three visits there: entered four minutes before paying, left 6 to 20 minutes after
    /// (still inside if that is after "now"). Added last, so the rest of the history is as it
    /// was.
    fn geofence_visits(&mut self) {
        let home = self.customer.home_store_id.clone();
        let Some(position) = self
            .world
            .stores
            .iter()
            .position(|s| Some(&s.id) == home.as_ref())
        else {
            return;
        };
        let (id, name) = (
            super::data::geofence_id(position),
            super::data::geofence_name(&self.world.stores[position]),
        );
        let visits: Vec<i64> = self
            .events
            .iter()
            .filter(|e| e.event_type == "purchase" && e.store_id == home)
            .map(|e| e.occurred_at)
            .collect();
        for at in visits.into_iter().rev().take(3) {
            let entered = at - 4 * 60_000;
            self.push(
                "geofence_entered",
                entered,
                None,
                None,
                None,
                json!({"geofence_id": id, "geofence_name": name}),
            );
            let dwell_seconds = 360 + (at / 1000 + self.index as i64) % 840;
            let left = entered + dwell_seconds * 1000;
            if left < self.world.as_of {
                self.push("geofence_exited", left, None, None, None,
                    json!({"geofence_id": id, "geofence_name": name, "dwell_seconds": dwell_seconds}));
            }
        }
    }

    fn purchase(&mut self, at: i64) {
        let store = if self.rng.gen_bool(0.8) {
            self.customer.home_store_id.clone()
        } else {
            Some(
                self.world.stores[self.rng.gen_range(0..self.world.stores.len())]
                    .id
                    .clone(),
            )
        };
        let mut total = 0;
        let mut first = None;
        let items: Vec<_> = (0..self.rng.gen_range(1..=4))
            .map(|_| {
                let drawn = self.rng.gen_range(0..self.world.products.len());
                // Half the extra items go with the first (a drink with its usual pastry): the
                // co-purchase patterns product affinities find.
                let index = match first {
                    Some(first) if drawn % 2 == 0 => companion(first, self.world.products.len()),
                    Some(_) => drawn,
                    None => *first.insert(drawn),
                };
                let product = &self.world.products[index];
                let qty = if self.rng.gen_bool(0.85) { 1 } else { 2 } * self.basket_size();
                total += product.price_cents * qty;
                json!({"sku": product.id, "name": product.name, "qty": qty})
            })
            .collect();
        self.push(
            "purchase",
            at,
            store.clone(),
            Some(total),
            None,
            json!({"currency": "GBP", "items": items}),
        );
        self.customer.purchase_count += 1;
        let earned = total / 100;
        self.push(
            "points_earned",
            at + 1000,
            store,
            None,
            Some(earned),
            json!({"rule": "1 point per £1"}),
        );
        self.lifetime_points += earned;
        self.promote(at + 2000);
        if self.customer.points_balance >= 500 && self.rng.gen_bool(0.3) {
            let reward = REWARDS[self.rng.gen_range(0..REWARDS.len())];
            if reward == "Tote bag" {
                self.reward_order(reward, at + 3000);
            } else {
                self.push(
                    "reward_redeemed",
                    at + 3000,
                    None,
                    None,
                    None,
                    json!({"reward": reward, "status": "fulfilled"}),
                );
            }
            self.push(
                "points_used",
                at + 3001,
                None,
                None,
                Some(-500),
                json!({"reward": reward}),
            );
        }
        match self.rng.gen_range(0..100) {
            0..=3 => {
                let tag = TAGS[self.rng.gen_range(0..TAGS.len())];
                self.push(
                    "tag_appended",
                    at + 4000,
                    None,
                    None,
                    None,
                    json!({"tag": tag}),
                );
            }
            4..=6 => {
                let code = PROMO_CODES[self.rng.gen_range(0..PROMO_CODES.len())];
                self.push(
                    "promo_code_claimed",
                    at + 4000,
                    None,
                    None,
                    None,
                    json!({"code": code}),
                );
            }
            7 => {
                let code = PROMO_CODES[self.rng.gen_range(0..PROMO_CODES.len())];
                self.push(
                    "promo_code_claim_error",
                    at + 4000,
                    None,
                    None,
                    None,
                    json!({"code": code, "reason": "code already used"}),
                );
            }
            8..=10 => {
                let (campaign, goal) = CAMPAIGNS[self.rng.gen_range(0..CAMPAIGNS.len())];
                let progress = self.rng.gen_range(1..=goal);
                self.push(
                    "campaign_progress",
                    at + 4000,
                    None,
                    None,
                    None,
                    json!({"campaign": campaign, "progress": progress, "goal": goal}),
                );
            }
            11..=20 => {
                let duration_s = self.rng.gen_range(20..600);
                self.push(
                    "app_session",
                    at - 3_600_000,
                    None,
                    None,
                    None,
                    json!({"platform": "iOS", "duration_s": duration_s}),
                );
            }
            _ => {}
        }
    }

    fn promote(&mut self, at: i64) {
        let reached = TIERS
            .iter()
            .rev()
            .find(|(_, threshold)| self.lifetime_points >= *threshold);
        if let Some((tier, _)) = reached {
            if self.customer.tier.as_deref() != Some(*tier) {
                self.customer.tier = Some((*tier).into());
                self.customer.tier_since = Some(at);
                self.push("tier_promoted", at, None, None, None, json!({"tier": tier}));
            }
        }
    }

    fn push(
        &mut self,
        event_type: &str,
        at: i64,
        store_id: Option<String>,
        amount_cents: Option<i64>,
        points_delta: Option<i64>,
        payload: serde_json::Value,
    ) {
        let id = seed_id(self.index, &mut self.rng);
        self.customer.points_balance += points_delta.unwrap_or(0);
        let last = self.customer.last_active_at.unwrap_or(at).max(at);
        self.customer.last_active_at = Some(last);
        let source = if event_type == "app_session"
            || event_type == "device_seen"
            || event_type.starts_with("geofence_")
        {
            "app"
        } else {
            "pos"
        };
        self.events.push(NewEvent {
            id,
            customer_id: self.customer.id.clone(),
            client_event_id: None,
            event_type: event_type.into(),
            source: source.into(),
            occurred_at: at,
            received_at: at,
            store_id,
            amount_cents,
            points_delta,
            payload,
        });
    }
}

/// The product usually bought with product `index` of `count`: drinks and pastries or food
/// pair up (the first 16 in halves of 8), the rest pair among themselves.
fn companion(index: usize, count: usize) -> usize {
    match index {
        0..8 => index + 8,
        8..16 => index - 8,
        _ if count > 16 => 16 + (index - 16 + 1) % (count - 16),
        _ => index,
    }
}

/// How a demo twin came to be a second profile of one person.
#[derive(Clone, Copy)]
enum Twin {
    /// Signed up online again with the address written without dots and with a `+shop` tag.
    Email,
    /// Signed up with the same mobile's digits under the Irish country code (the wrong country
    /// chosen on a tablet near the border).
    Phone,
    /// Signed up in a store with only a name and a birth date.
    NameAndBirth,
    /// Signed up in a store with a name and the postcode written in lower case, no space.
    NameAndPostcode,
}

/// `pairs` pairs of profiles per kind of likely duplicate (email, phone, name and birth date,
/// name and postcode), each profile with a history of its own: what a new user finds on the
/// Duplicates page. They take the indexes from `first` on.
pub fn twins(world: &World<'_>, first: u64, pairs: u64) -> Vec<(NewCustomer, Vec<NewEvent>)> {
    let kinds = [
        Twin::Email,
        Twin::Phone,
        Twin::NameAndBirth,
        Twin::NameAndPostcode,
    ];
    let mut next = first;
    let mut found = Vec::new();
    for kind in kinds {
        let mut made = 0;
        while made < pairs && next < first + 100 * pairs {
            let (mut original, history) = customer(world, next);
            let (mut twin, twin_history) = customer(world, next + 1);
            if let Twin::Phone = kind {
                // A UK mobile whose last nine digits are also an Irish mobile number.
                let digits = format!("87{:07}", next.wrapping_mul(7_919) % 10_000_000);
                original.contact.phone = app::identity::phone_e164(&format!("+447{digits}"), "");
            }
            next += 2;
            let Some(contact) = twin_of(&original, kind) else {
                continue;
            };
            twin.contact = Contact {
                card_number: twin.contact.card_number.take(),
                external_id: twin.contact.external_id.take(),
                ..contact
            };
            found.extend([(original, history), (twin, twin_history)]);
            made += 1;
        }
    }
    found
}

/// The contact details of a second profile of `original`, if its details suit `kind`.
fn twin_of(original: &NewCustomer, kind: Twin) -> Option<Contact> {
    let contact = &original.contact;
    if original.is_test || contact.first_name.is_none() || contact.last_name.is_none() {
        return None;
    }
    let person = Contact {
        first_name: contact.first_name.clone(),
        last_name: contact.last_name.clone(),
        ..Contact::default()
    };
    Some(match kind {
        Twin::Email => {
            let (local, domain) = contact.email.as_deref()?.split_once('@')?;
            let email = Some(format!("{}+shop@{domain}", local.replace('.', "")));
            Contact { email, ..person }
        }
        Twin::Phone => {
            let digits = contact.phone.as_deref()?.strip_prefix("+447")?;
            // The same digits under the Irish country code: the wrong country chosen.
            let irish = app::identity::phone_e164(&format!("+353{digits}"), "")?;
            let same = app::identity::match_key("phone", &irish)
                == app::identity::match_key("phone", contact.phone.as_deref()?);
            let phone = same.then_some(irish)?;
            Contact {
                phone: Some(phone),
                ..person
            }
        }
        Twin::NameAndBirth => Contact {
            date_of_birth: Some(contact.date_of_birth.clone()?),
            ..person
        },
        Twin::NameAndPostcode => {
            let postcode = contact.postal_code.as_deref()?;
            Contact {
                postal_code: Some(postcode.replace(' ', "").to_lowercase()),
                city: contact.city.clone(),
                country: contact.country.clone(),
                ..person
            }
        }
    })
}
