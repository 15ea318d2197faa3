//! The registry of event types: each type's category (for filtering the stream) and whether
//! the ingest API accepts it. Shared by the server and the browser.

/// What one event type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventType {
    /// Machine name, e.g. `points_earned`.
    pub name: &'static str,
    /// Group shown in the stream's category filter.
    pub category: &'static str,
    /// Whether the ingest API takes it (console-only types are written by agents' actions).
    pub ingestible: bool,
}

const fn api(name: &'static str, category: &'static str) -> EventType {
    EventType {
        name,
        category,
        ingestible: true,
    }
}

const fn console(name: &'static str, category: &'static str) -> EventType {
    EventType {
        name,
        category,
        ingestible: false,
    }
}

/// Purchases and what was redeemed with them.
pub const PURCHASE_RELATED: &str = "Purchase related";
/// Points earned, used, comped, expired.
pub const LOYALTY_POINTS: &str = "Loyalty points";
/// Tier promotions and demotions.
pub const LOYALTY_TIER: &str = "Loyalty tier";
/// Rewards, rules and campaigns.
pub const ENGAGEMENT: &str = "Rewards and campaigns";
/// Promo codes and tags.
pub const CODES_AND_TAGS: &str = "Promo codes and tags";
/// Apps, web and devices.
pub const DIGITAL: &str = "Digital";
/// The customer record itself.
pub const PROFILE: &str = "Profile";

/// Every known event type, in the order the stream's filter lists them.
pub const EVENT_TYPES: [EventType; 22] = [
    api("purchase", PURCHASE_RELATED),
    api("offer_redeemed", PURCHASE_RELATED),
    api("points_earned", LOYALTY_POINTS),
    api("points_used", LOYALTY_POINTS),
    api("points_comped", LOYALTY_POINTS),
    api("points_expired", LOYALTY_POINTS),
    console("points_deducted", LOYALTY_POINTS),
    api("tier_promoted", LOYALTY_TIER),
    api("tier_demoted", LOYALTY_TIER),
    api("loyalty_rule_completed", ENGAGEMENT),
    api("reward_redeemed", ENGAGEMENT),
    api("campaign_progress", ENGAGEMENT),
    api("promo_code_claimed", CODES_AND_TAGS),
    api("promo_code_claim_error", CODES_AND_TAGS),
    api("tag_appended", CODES_AND_TAGS),
    api("app_session", DIGITAL),
    api("device_seen", DIGITAL),
    api("profile_updated", PROFILE),
    console("customer_created", PROFILE),
    console("status_changed", PROFILE),
    console("sms_verification_reset", PROFILE),
    console("password_reset_sent", PROFILE),
];

/// The categories, each once, in registry order.
pub fn categories() -> Vec<&'static str> {
    let mut seen = Vec::new();
    for event_type in EVENT_TYPES {
        if !seen.contains(&event_type.category) {
            seen.push(event_type.category);
        }
    }
    seen
}

/// The type called `name`, if it is known.
pub fn find_type(name: &str) -> Option<EventType> {
    EVENT_TYPES.into_iter().find(|t| t.name == name)
}

/// The names of the types in `category`.
pub fn types_in(category: &str) -> Vec<&'static str> {
    EVENT_TYPES
        .into_iter()
        .filter(|t| t.category == category)
        .map(|t| t.name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_listed_once() {
        let mut names: Vec<_> = EVENT_TYPES.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EVENT_TYPES.len());
    }

    #[test]
    fn categories_come_in_registry_order_without_repeats() {
        let categories = categories();
        assert_eq!(categories.first(), Some(&PURCHASE_RELATED));
        assert_eq!(categories.len(), 7);
        assert_eq!(
            types_in(LOYALTY_TIER),
            vec!["tier_promoted", "tier_demoted"]
        );
        assert!(find_type("status_changed").is_some_and(|t| !t.ingestible));
        assert!(find_type("nope").is_none());
    }
}
