//! Product affinities by item-item association rules: across all baskets, how often a
//! product comes with another (confidence) and how much more often than chance (lift); for
//! a customer, the strongest rules from what they buy to what they do not yet buy routinely.

use super::db::RuleRow;
use super::model::Affinity;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// Items beyond this many in one basket are ignored (pairs grow with the square).
const MAX_ITEMS_PER_BASKET: usize = 40;
/// A rule needs this many baskets holding both products.
pub const MIN_PAIR_BASKETS: u64 = 5;
/// Rules kept per bought product.
pub const RULES_PER_PRODUCT: usize = 10;
/// A product bought in this many of the customer's baskets is routine for them.
const ROUTINE_BASKETS: usize = 2;
/// Products shown per customer.
const SHOWN: usize = 3;

#[derive(Deserialize)]
struct Payload {
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    sku: Option<String>,
}

/// The distinct SKUs of a purchase payload (`{"items": [{"sku": …}, …]}`); none when it
/// has no items.
pub fn basket_skus(payload: &str) -> Vec<String> {
    let mut skus: Vec<String> = serde_json::from_str::<Payload>(payload)
        .map(|p| p.items.into_iter().filter_map(|i| i.sku).collect())
        .unwrap_or_default();
    skus.sort_unstable();
    skus.dedup();
    skus
}

/// Counts products and pairs of products across baskets.
#[derive(Debug, Default)]
pub struct BasketMiner {
    index: HashMap<String, u32>,
    skus: Vec<String>,
    item_baskets: Vec<u64>,
    pair_baskets: HashMap<(u32, u32), u64>,
    baskets: u64,
}

impl BasketMiner {
    /// Counts one basket of distinct `skus`.
    pub fn add(&mut self, skus: &[String]) {
        if skus.is_empty() {
            return;
        }
        self.baskets += 1;
        let ids: Vec<u32> = skus
            .iter()
            .take(MAX_ITEMS_PER_BASKET)
            .map(|sku| self.id_of(sku))
            .collect();
        for (i, &a) in ids.iter().enumerate() {
            self.item_baskets[a as usize] += 1;
            for &b in &ids[i + 1..] {
                *self.pair_baskets.entry((a.min(b), a.max(b))).or_default() += 1;
            }
        }
    }

    fn id_of(&mut self, sku: &str) -> u32 {
        if let Some(&id) = self.index.get(sku) {
            return id;
        }
        let id = self.skus.len() as u32;
        self.index.insert(sku.to_string(), id);
        self.skus.push(sku.to_string());
        self.item_baskets.push(0);
        id
    }

    /// Baskets counted.
    pub fn baskets(&self) -> u64 {
        self.baskets
    }

    /// Rules A → B with at least [`MIN_PAIR_BASKETS`] joint baskets and lift above 1, the
    /// [`RULES_PER_PRODUCT`] most confident per A.
    pub fn rules(&self) -> Vec<RuleRow> {
        let n = self.baskets as f64;
        let mut by_antecedent: HashMap<u32, Vec<RuleRow>> = HashMap::new();
        for (&(a, b), &both) in &self.pair_baskets {
            if both < MIN_PAIR_BASKETS {
                continue;
            }
            for (from, to) in [(a, b), (b, a)] {
                let confidence = both as f64 / self.item_baskets[from as usize] as f64;
                let lift = confidence / (self.item_baskets[to as usize] as f64 / n);
                if lift > 1.0 {
                    by_antecedent.entry(from).or_default().push(RuleRow {
                        antecedent: self.skus[from as usize].clone(),
                        consequent: self.skus[to as usize].clone(),
                        confidence,
                        lift,
                        baskets: both as i64,
                    });
                }
            }
        }
        let mut rules = Vec::new();
        for mut group in by_antecedent.into_values() {
            group.sort_by(|x, y| {
                y.confidence
                    .total_cmp(&x.confidence)
                    .then_with(|| x.consequent.cmp(&y.consequent))
            });
            group.truncate(RULES_PER_PRODUCT);
            rules.extend(group);
        }
        rules.sort_by(|x, y| (&x.antecedent, &x.consequent).cmp(&(&y.antecedent, &y.consequent)));
        rules
    }
}

/// The products skus in `customer_baskets` point to through `rules` (antecedent, affinity;
/// strongest first), leaving out what the customer buys routinely: one per product, the
/// strongest, at most three.
pub fn likely_next(
    customer_baskets: &[Vec<String>],
    rules: Vec<(String, Affinity)>,
) -> Vec<Affinity> {
    let mut times_bought: HashMap<&str, usize> = HashMap::new();
    for basket in customer_baskets {
        for sku in basket {
            *times_bought.entry(sku.as_str()).or_default() += 1;
        }
    }
    let routine = |sku: &str| times_bought.get(sku).copied().unwrap_or(0) >= ROUTINE_BASKETS;
    let mut seen = HashSet::new();
    let mut shown = Vec::new();
    for (antecedent, affinity) in rules {
        if !times_bought.contains_key(antecedent.as_str())
            || routine(&affinity.sku)
            || !seen.insert(affinity.sku.clone())
        {
            continue;
        }
        shown.push(affinity);
        if shown.len() == SHOWN {
            break;
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basket(skus: &[&str]) -> Vec<String> {
        skus.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn confidence_and_lift_by_hand() {
        // 10 baskets: coffee in 6, croissant in 4, both in 3; juice alone in 4.
        let mut miner = BasketMiner::default();
        for _ in 0..3 {
            miner.add(&basket(&["coffee", "croissant"]));
        }
        for _ in 0..3 {
            miner.add(&basket(&["coffee"]));
        }
        miner.add(&basket(&["croissant"]));
        for _ in 0..3 {
            miner.add(&basket(&["juice"]));
        }
        // Below the support threshold: no rule yet.
        assert!(miner.rules().is_empty());
        for _ in 0..2 {
            miner.add(&basket(&["coffee", "croissant"]));
        }
        // Now 12 baskets: coffee 8, croissant 6, both 5.
        let rules = miner.rules();
        let rule = |from: &str| {
            rules
                .iter()
                .find(|r| r.antecedent == from)
                .expect("a rule")
                .clone()
        };
        let coffee = rule("coffee");
        assert_eq!(coffee.consequent, "croissant");
        assert!((coffee.confidence - 5.0 / 8.0).abs() < 1e-12);
        assert!((coffee.lift - (5.0 / 8.0) / (6.0 / 12.0)).abs() < 1e-12);
        let croissant = rule("croissant");
        assert!((croissant.confidence - 5.0 / 6.0).abs() < 1e-12);
        assert_eq!(croissant.baskets, 5);
    }

    #[test]
    fn routine_products_are_not_suggested() {
        let affinity = |sku: &str, p: f64| Affinity {
            sku: sku.into(),
            name: sku.into(),
            probability: p,
            lift: 2.0,
            because: "coffee".into(),
        };
        let rules = vec![
            ("coffee".to_string(), affinity("croissant", 0.6)),
            ("coffee".to_string(), affinity("muffin", 0.4)),
            ("tea".to_string(), affinity("scone", 0.9)),
        ];
        // Buys coffee and croissant every time: croissant is routine, tea never bought.
        let baskets = vec![
            basket(&["coffee", "croissant"]),
            basket(&["coffee", "croissant"]),
        ];
        let next = likely_next(&baskets, rules);
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].sku, "muffin");
    }

    #[test]
    fn skus_of_a_payload() {
        let payload = r#"{"currency":"GBP","items":[{"sku":"B","qty":2},{"sku":"A"},{"sku":"B"}]}"#;
        assert_eq!(basket_skus(payload), vec!["A".to_string(), "B".to_string()]);
        assert!(basket_skus("{}").is_empty());
        assert!(basket_skus("not json").is_empty());
    }
}
