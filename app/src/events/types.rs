//! The built-in event types: each one's default category (for filtering the stream), default
//! summary template, and whether the ingest API accepts it. Admins can change the category
//! and template and add custom types (stored in the database); [`merge`] combines the two.

use super::template::EventTypeDef;

/// What one event type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventType {
    /// Machine name, e.g. `points_earned`.
    pub name: &'static str,
    /// Group shown in the stream's category filter.
    pub category: &'static str,
    /// Whether the ingest API takes it (console-only types are written by agents' actions).
    pub ingestible: bool,
    /// Default one-line summary (see [`super::template`]).
    pub summary: &'static str,
}

const fn api(name: &'static str, category: &'static str, summary: &'static str) -> EventType {
    EventType {
        name,
        category,
        ingestible: true,
        summary,
    }
}

const fn console(name: &'static str, category: &'static str, summary: &'static str) -> EventType {
    EventType {
        name,
        category,
        ingestible: false,
        summary,
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
pub const EVENT_TYPES: [EventType; 30] = [
    api(
        "purchase",
        PURCHASE_RELATED,
        "Spent {amount} {currency}[ at {store}]",
    ),
    api(
        "refund",
        PURCHASE_RELATED,
        "Refunded {amount} {currency}[ of order {order_id}][, {points|point|points} taken back]",
    ),
    api("offer_redeemed", PURCHASE_RELATED, "Redeemed offer {offer}"),
    console(
        "offer_issued",
        PURCHASE_RELATED,
        "Issued offer {offer}[, valid until {expires}]",
    ),
    api("points_earned", LOYALTY_POINTS, "+{points|point|points}"),
    api("points_used", LOYALTY_POINTS, "−{points|point|points}"),
    api(
        "points_comped",
        LOYALTY_POINTS,
        "+{points|point|points}[ ({reason})]",
    ),
    api(
        "points_expired",
        LOYALTY_POINTS,
        "−{points|point|points} expired",
    ),
    console(
        "points_deducted",
        LOYALTY_POINTS,
        "−{points|point|points}[ ({reason})]",
    ),
    api("tier_promoted", LOYALTY_TIER, "Promoted to {tier}"),
    api("tier_demoted", LOYALTY_TIER, "Demoted to {tier}"),
    api("loyalty_rule_completed", ENGAGEMENT, "Completed {rule}"),
    api("reward_redeemed", ENGAGEMENT, "Redeemed {reward}"),
    api(
        "reward_order_updated",
        ENGAGEMENT,
        "Reward order {order_id}: {status}[ ({carrier})]",
    ),
    api(
        "campaign_progress",
        ENGAGEMENT,
        "{campaign}: {progress} of {goal}",
    ),
    api("promo_code_claimed", CODES_AND_TAGS, "Claimed code {code}"),
    api(
        "promo_code_claim_error",
        CODES_AND_TAGS,
        "Claim of {code} failed[: {reason}]",
    ),
    console(
        "promo_lockout_reset",
        CODES_AND_TAGS,
        "Promo-code lockout reset[ by {agent}]",
    ),
    api("tag_appended", CODES_AND_TAGS, "Tagged {tag}"),
    api("app_session", DIGITAL, "App session[ on {platform}]"),
    api(
        "device_seen",
        DIGITAL,
        "Device seen[ on {platform}][ ({model})]",
    ),
    api("geofence_entered", DIGITAL, "Entered {geofence_name}"),
    api(
        "geofence_exited",
        DIGITAL,
        "Left {geofence_name}[ after {dwell_seconds|second|seconds}]",
    ),
    api("profile_updated", PROFILE, "Profile updated"),
    console("customer_created", PROFILE, "Joined via {source}"),
    console(
        "status_changed",
        PROFILE,
        "Status changed from {from} to {to}",
    ),
    console(
        "customers_merged",
        PROFILE,
        "Merged with {absorbed_name}[ by {agent}]",
    ),
    console(
        "customers_unmerged",
        PROFILE,
        "Merge with {other_name} undone[ by {agent}]",
    ),
    console("sms_verification_reset", PROFILE, "SMS verification reset"),
    console(
        "password_reset_sent",
        PROFILE,
        "Password-reset email sent[ to {email}]",
    ),
];

/// The registry in effect: the built-in types in their order, each with the stored settings
/// of the same name if an admin changed it, then the custom types of `stored` by name.
pub fn merge(mut stored: Vec<EventTypeDef>) -> Vec<EventTypeDef> {
    let mut all: Vec<EventTypeDef> = EVENT_TYPES
        .into_iter()
        .map(|builtin| {
            let changed = stored
                .iter()
                .position(|s| s.name == builtin.name)
                .map(|i| stored.remove(i));
            EventTypeDef {
                name: builtin.name.to_string(),
                category: builtin.category.to_string(),
                summary_template: builtin.summary.to_string(),
                detail_fields: Vec::new(),
                required_fields: Vec::new(),
                builtin: true,
                ingestible: builtin.ingestible,
            }
            .with(changed)
        })
        .collect();
    stored.sort_by(|a, b| a.name.cmp(&b.name));
    all.extend(stored.into_iter().map(|custom| EventTypeDef {
        builtin: false,
        ingestible: true,
        ..custom
    }));
    all
}

impl EventTypeDef {
    /// These defaults with an admin's changes to category, template and details.
    fn with(self, changed: Option<EventTypeDef>) -> Self {
        match changed {
            Some(c) => Self {
                category: c.category,
                summary_template: c.summary_template,
                detail_fields: c.detail_fields,
                ..self
            },
            None => self,
        }
    }
}

/// The categories of `registry`, each once, in registry order.
pub fn categories(registry: &[EventTypeDef]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for event_type in registry {
        if !seen.contains(&event_type.category) {
            seen.push(event_type.category.clone());
        }
    }
    seen
}

/// The names of the types in `category`.
pub fn types_in(registry: &[EventTypeDef], category: &str) -> Vec<String> {
    registry
        .iter()
        .filter(|t| t.category == category)
        .map(|t| t.name.clone())
        .collect()
}

/// A custom type's name: 2 to 40 lower-case letters, digits and underscores, starting with a
/// letter; else what is wrong.
pub fn check_type_name(name: &str) -> Result<(), &'static str> {
    let valid = (2..=40).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(())
    } else {
        Err("Use 2 to 40 lower-case letters, digits and underscores, starting with a letter, e.g. survey_completed.")
    }
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
    fn the_registry_keeps_builtins_first_with_their_changes_then_custom_types() {
        let changed = EventTypeDef {
            name: "tier_promoted".into(),
            category: "Tiers".into(),
            summary_template: "Now {tier}".into(),
            detail_fields: vec!["tier".into()],
            required_fields: Vec::new(),
            builtin: true,
            ingestible: true,
        };
        let custom = EventTypeDef {
            name: "survey_completed".into(),
            category: "Feedback".into(),
            builtin: true,
            ingestible: false,
            ..changed.clone()
        };
        let registry = merge(vec![custom, changed]);
        assert_eq!(registry.len(), EVENT_TYPES.len() + 1);
        assert_eq!(registry[0].name, "purchase");
        let tier = registry
            .iter()
            .find(|t| t.name == "tier_promoted")
            .map(|t| (t.category.as_str(), t.builtin));
        assert_eq!(tier, Some(("Tiers", true)));
        let last = registry
            .last()
            .map(|t| (t.name.as_str(), t.builtin, t.ingestible));
        assert_eq!(last, Some(("survey_completed", false, true)));
        assert_eq!(
            categories(&registry).first().map(String::as_str),
            Some(PURCHASE_RELATED)
        );
        assert_eq!(types_in(&registry, "Tiers"), vec!["tier_promoted"]);
        assert!(check_type_name("survey_completed").is_ok());
        assert!(check_type_name("Survey").is_err());
    }
}
