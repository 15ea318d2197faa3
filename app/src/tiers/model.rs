//! Tier levels, the rules that move customers between them, and the Tiers sub-tab's data.

use crate::time::{format_count, EpochMillis};
use crate::words::count;
use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 86_400_000;

/// A tier of the programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierLevel {
    /// Name, e.g. `Gold`.
    pub name: String,
    /// Order, 0 for the entry tier.
    pub rank: i64,
    /// Qualifying points needed to enter.
    pub threshold_points: i64,
    /// What members of the tier get.
    pub benefits: String,
}

/// How tiers work: the levels (by rank), the qualification window and how long a tier lasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierRules {
    /// The programme's name for its tiers, e.g. "Coffee Club".
    pub system_name: String,
    /// Levels, lowest first.
    pub levels: Vec<TierLevel>,
    /// Points earned or comped in this many days qualify.
    pub window_days: i64,
    /// A tier lasts this many days from entry or renewal.
    pub validity_days: i64,
}

impl TierRules {
    /// Qualification window in milliseconds.
    pub fn window_ms(&self) -> i64 {
        self.window_days * DAY_MS
    }

    /// Tier validity in milliseconds.
    pub fn validity_ms(&self) -> i64 {
        self.validity_days * DAY_MS
    }

    /// The highest level `points` reach.
    pub fn level_for(&self, points: i64) -> Option<&TierLevel> {
        self.levels
            .iter()
            .filter(|l| l.threshold_points <= points)
            .max_by_key(|l| l.rank)
    }

    fn level(&self, name: &str) -> Option<&TierLevel> {
        self.levels.iter().find(|l| l.name == name)
    }
}

/// What the rules say to do with a customer now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Nothing changes.
    Stay,
    /// Up to `to`, because `reason`.
    Promote {
        /// The new tier.
        to: String,
        /// Why, in words.
        reason: String,
    },
    /// Down to `to` after the tier expired, because `reason`.
    Demote {
        /// The new tier.
        to: String,
        /// Why, in words.
        reason: String,
    },
    /// The tier expired but the customer still qualifies: it runs another period.
    Renew,
}

/// The decision for a customer in `current` (expiring at `expires_at`) with `points`
/// qualifying points at `now`: promotion as soon as the points reach a higher threshold;
/// at expiry, demotion to the tier the points still reach, or renewal. A tier the rules do
/// not define (sent by another system) is left alone.
pub fn decide(
    rules: &TierRules,
    current: Option<&str>,
    expires_at: Option<EpochMillis>,
    points: i64,
    now: EpochMillis,
) -> Decision {
    let Some(target) = rules.level_for(points) else {
        return Decision::Stay;
    };
    let current_level = current.and_then(|c| rules.level(c));
    if current.is_some() && current_level.is_none() {
        // A tier these rules do not define was set by another system: it manages it.
        return Decision::Stay;
    }
    let current_rank = current_level.map_or(-1, |l| l.rank);
    if target.rank > current_rank {
        return Decision::Promote {
            to: target.name.clone(),
            reason: format!(
                "{} in the last {} reach the {} threshold of {}",
                count(points, "qualifying point", "qualifying points"),
                count(rules.window_days, "day", "days"),
                target.name,
                format_count(target.threshold_points)
            ),
        };
    }
    if expires_at.is_none_or(|e| e > now) {
        return Decision::Stay;
    }
    match current_level {
        Some(level) if target.rank < level.rank => Decision::Demote {
            to: target.name.clone(),
            reason: format!(
                "{} expired; {} in the last {} {} below its threshold of {}",
                level.name,
                count(points, "qualifying point", "qualifying points"),
                count(rules.window_days, "day", "days"),
                if points == 1 { "is" } else { "are" },
                format_count(level.threshold_points)
            ),
        },
        _ => Decision::Renew,
    }
}

/// A promotion or demotion, for the tier log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierChange {
    /// When.
    pub at: EpochMillis,
    /// `tier_promoted` or `tier_demoted`.
    pub kind: String,
    /// The tier entered.
    pub tier: String,
    /// Why, when given.
    pub reason: Option<String>,
    /// Who or what sent it: `console`, `rules`, a system's key.
    pub source: String,
}

/// The Tiers sub-tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierSummary {
    /// The rules in force.
    pub rules: TierRules,
    /// The customer's tier.
    pub tier: Option<String>,
    /// When they entered it.
    pub since: Option<EpochMillis>,
    /// When it expires.
    pub expires_at: Option<EpochMillis>,
    /// Qualifying points now.
    pub qualifying_points: i64,
    /// Promotions and demotions, newest first.
    pub log: Vec<TierChange>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> TierRules {
        let level = |name: &str, rank, threshold_points| TierLevel {
            name: name.into(),
            rank,
            threshold_points,
            benefits: String::new(),
        };
        TierRules {
            system_name: "Club".into(),
            levels: vec![
                level("Bronze", 0, 0),
                level("Silver", 1, 500),
                level("Gold", 2, 2000),
            ],
            window_days: 365,
            validity_days: 365,
        }
    }

    #[test]
    fn points_reaching_a_threshold_promote_at_once() {
        let d = decide(&rules(), Some("Bronze"), Some(10_000), 600, 1_000);
        assert_eq!(
            d,
            Decision::Promote {
                to: "Silver".into(),
                reason:
                    "600 qualifying points in the last 365 days reach the Silver threshold of 500"
                        .into()
            }
        );
        assert!(
            matches!(decide(&rules(), None, None, 0, 1), Decision::Promote { to, .. } if to == "Bronze")
        );
        assert!(
            matches!(decide(&rules(), Some("Bronze"), None, 2500, 1), Decision::Promote { to, .. } if to == "Gold")
        );
    }

    #[test]
    fn at_expiry_a_customer_is_demoted_to_what_the_points_reach_or_renewed() {
        assert_eq!(
            decide(&rules(), Some("Gold"), Some(5_000), 100, 1_000),
            Decision::Stay,
            "not yet expired"
        );
        let d = decide(&rules(), Some("Gold"), Some(500), 700, 1_000);
        assert!(
            matches!(&d, Decision::Demote { to, reason } if to == "Silver" && reason.starts_with("Gold expired; 700")),
            "{d:?}"
        );
        assert_eq!(
            decide(&rules(), Some("Gold"), Some(500), 2_100, 1_000),
            Decision::Renew
        );
        assert_eq!(
            decide(&rules(), Some("Bronze"), Some(500), 0, 1_000),
            Decision::Renew
        );
        assert_eq!(
            decide(&rules(), Some("Platinum"), Some(500), 5_000, 1_000),
            Decision::Stay
        );
    }
}
